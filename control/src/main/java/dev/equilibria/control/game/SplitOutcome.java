package dev.equilibria.control.game;

import dev.equilibria.control.pool.PoolEstimate;

/**
 * What the models predict for one split.
 *
 * @param prefillCost SLO-normalised TTFT, continued past saturation (see {@link PoolGame#cost})
 * @param decodeCost  SLO-normalised ITL, likewise
 * @param attainment  predicted fraction of requests meeting both SLOs (the pools taken as independent)
 * @param goodput     requests per second meeting both SLOs: arrival rate times attainment
 */
public record SplitOutcome(Split split, PoolEstimate prefill, PoolEstimate decode, double prefillCost,
                           double decodeCost, double attainment, double goodput) {

    /** Social cost: the sum of the players' costs, SLO-normalised latency per request. */
    public double socialCost() {
        return prefillCost + decodeCost;
    }

    /** Whether the mean latencies are within both SLOs. */
    public boolean meetsSlos(Slo slo) {
        return prefill.latencySeconds() <= slo.ttftSeconds() && decode.latencySeconds() <= slo.itlSeconds();
    }
}
