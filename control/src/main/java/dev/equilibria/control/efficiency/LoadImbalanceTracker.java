package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.EnumMap;
import java.util.Map;

/** Load imbalance per leg over a rolling window of routing decisions. Thread-safe. */
public final class LoadImbalanceTracker {

    private final CandidateLoad load;
    private final WindowLimits limits;
    private final Map<RoutingLeg, SlidingWindow<Double>> windows = new EnumMap<>(RoutingLeg.class);

    public LoadImbalanceTracker(CandidateLoad load, WindowLimits limits) {
        this.load = load;
        this.limits = limits;
    }

    public synchronized void record(RoutingDecision decision) {
        double value = LoadImbalance.ofDecision(decision, load);
        if (!Double.isNaN(value)) {
            windows.computeIfAbsent(decision.leg(), leg -> new SlidingWindow<>(limits))
                    .add(decision.timestampMs(), value);
        }
    }

    public synchronized LoadImbalance snapshot(RoutingLeg leg, long nowMs) {
        SlidingWindow<Double> window = windows.get(leg);
        if (window == null) {
            return LoadImbalance.EMPTY;
        }
        return LoadImbalance.ofValues(window.values(nowMs).stream().mapToDouble(Double::doubleValue).toArray());
    }
}
