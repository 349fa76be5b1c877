package dev.equilibria.simulator.experiment;

import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.simulator.metrics.LatencySummary;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.List;
import java.util.Map;

/**
 * What one run measured.
 *
 * @param legs                PoA-hat and load imbalance per routing leg that had decisions
 * @param ttftInflation       mean TTFT over the zero-load TTFT the engine profile predicts for the same requests
 * @param ttftInflationP99    P99 TTFT over the zero-load P99
 * @param wallSeconds         how long the simulation itself took
 */
public record RunResult(String label, LatencySummary latency, Map<RoutingLeg, LegIndices> legs,
                        double ttftInflation, double ttftInflationP99, List<RegimeTransition> transitions,
                        double simulatedSeconds, double wallSeconds) {

    /**
     * The routing-efficiency indices of one leg.
     *
     * @param poaHatP50     PoA-hat, median over windows of decisions
     * @param poaHatP90     its 90th percentile
     * @param loadImbalance mean over decisions of max/mean candidate load
     * @param candidates    workers the leg chose among (1 means no routing choice)
     */
    public record LegIndices(double poaHatP50, double poaHatP90, double loadImbalance, int candidates) {
    }

    /** The indices of the leg with the most routing choice (the decode leg in a 1PxD fleet). */
    public LegIndices routedLeg() {
        return legs.values().stream().max(java.util.Comparator.comparingInt(LegIndices::candidates))
                .orElse(new LegIndices(Double.NaN, Double.NaN, Double.NaN, 0));
    }

    /**
     * Simulated seconds from the start of the run to the controller's first routing change, or null when it never
     * changed routing: its reaction time, which the measured window should start after.
     */
    public Double firstRoutingChangeSeconds() {
        return transitions.stream().filter(t -> t.published() != null).findFirst()
                .map(t -> t.timestampMs() / 1000.0).orElse(null);
    }

    public double simulatedPerWallSecond() {
        return wallSeconds == 0 ? Double.POSITIVE_INFINITY : simulatedSeconds / wallSeconds;
    }
}
