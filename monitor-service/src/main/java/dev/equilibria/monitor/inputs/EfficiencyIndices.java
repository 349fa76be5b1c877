package dev.equilibria.monitor.inputs;

import dev.equilibria.control.efficiency.LoadImbalance;
import dev.equilibria.control.efficiency.LoadImbalanceTracker;
import dev.equilibria.control.efficiency.PoaHatSummary;
import dev.equilibria.control.efficiency.PoaHatTracker;
import dev.equilibria.control.efficiency.TtftInflation;
import dev.equilibria.control.efficiency.TtftInflationTracker;
import dev.equilibria.control.efficiency.TtftSample;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;

/** The three efficiency indices, fed from the decision log and the request records. Thread-safe (the trackers are). */
public final class EfficiencyIndices {

    private final PoaHatTracker poaHat;
    private final LoadImbalanceTracker imbalance;
    private final TtftInflationTracker inflation;

    public EfficiencyIndices(PoaHatTracker poaHat, LoadImbalanceTracker imbalance, TtftInflationTracker inflation) {
        this.poaHat = poaHat;
        this.imbalance = imbalance;
        this.inflation = inflation;
    }

    public void onDecision(RoutingDecision decision) {
        poaHat.record(decision);
        imbalance.record(decision);
    }

    /**
     * Folds a finished request into TTFT inflation; requests without a first token are left out.
     *
     * @throws IllegalArgumentException when the record's token counts do not add up
     */
    public void onRecord(RequestRecord r, long nowMs) {
        if (!Double.isFinite(r.ttftMs()) || r.ttftMs() < 0) {
            return;
        }
        inflation.record(new TtftSample(r.requestId(), r.prefillWorker(), nowMs, r.promptTokens(), r.cachedTokens(),
                r.ttftMs()));
    }

    /** Closes PoA-hat windows that have run their time. */
    public void advance(long nowMs) {
        poaHat.advance(nowMs);
    }

    public PoaHatSummary poaHat(RoutingLeg leg) {
        return poaHat.summary(leg);
    }

    public LoadImbalance imbalance(RoutingLeg leg, long nowMs) {
        return imbalance.snapshot(leg, nowMs);
    }

    public TtftInflation inflation(long nowMs) {
        return inflation.snapshot(nowMs);
    }
}
