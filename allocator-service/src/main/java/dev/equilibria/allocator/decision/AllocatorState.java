package dev.equilibria.allocator.decision;

import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.control.allocation.AllocationDecision;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.Split;
import dev.equilibria.control.game.SplitOutcome;
import java.time.Instant;
import java.util.Map;

/**
 * What the allocator knew and decided at its latest evaluation: one immutable value, replaced whole by the loop and
 * read by the admin API and the metrics.
 *
 * @param at               when it was evaluated; null before the first evaluation
 * @param current          the split the heartbeats show
 * @param aggregatedWorkers live aggregated workers, which belong to neither pool
 * @param budget           workers the game shared out
 * @param observed         demand seen over the window (GPU time), with its source
 * @param forecast         demand one horizon ahead (GPU time); null before the first observation
 * @param result           the solved game; null when the evaluation was skipped
 * @param currentOutcome   the models' prediction for the current split at the forecast; null when skipped
 * @param targetOutcome    the models' prediction for the target split; null when skipped
 * @param decision         the decision with its reasons; null when skipped
 * @param reasonCode       short code of why (see {@link ReasonCode}); null when skipped
 * @param skipped          why no decision was made, or null
 * @param pendingActuation the actuation still under way, or null
 * @param weights          per-worker routing weights published last
 * @param lastChange       when an actuation last started; null for never
 */
public record AllocatorState(Instant at, Split current, int aggregatedWorkers, int budget,
                             DemandTracker.Observation observed, Workload forecast, GameResult result,
                             SplitOutcome currentOutcome, SplitOutcome targetOutcome, AllocationDecision decision,
                             String reasonCode, String skipped, String pendingActuation, Map<String, Double> weights,
                             Instant lastChange) {

    public AllocatorState {
        weights = weights == null ? Map.of() : Map.copyOf(weights);
    }

    public static AllocatorState initial() {
        return new AllocatorState(null, new Split(0, 0), 0, 0, null, null, null, null, null, null, null,
                "no evaluation yet", null, Map.of(), null);
    }
}
