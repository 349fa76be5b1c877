package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;
import java.util.List;

/**
 * Load imbalance over a set of routing decisions: at each decision, the most loaded candidate over the candidates'
 * mean load; averaged over decisions.
 *
 * <pre>
 * imbalance(d) = max_j load_j / mean_j load_j      (1 when the mean is 0: an idle pool is balanced)
 * mean         = (1/D) * sum_d imbalance(d)
 * </pre>
 *
 * @param decisions decisions counted (those with at least one candidate)
 * @param mean      mean imbalance; 1 is perfectly even, {@code m} is everything on one of {@code m} workers
 * @param p90       90th percentile over decisions
 * @param max       the worst decision
 */
public record LoadImbalance(int decisions, double mean, double p90, double max) {

    public static final LoadImbalance EMPTY = new LoadImbalance(0, Double.NaN, Double.NaN, Double.NaN);

    /** The imbalance the router saw at one decision; NaN for a decision without candidates. */
    public static double ofDecision(RoutingDecision decision, CandidateLoad load) {
        List<CandidateCost> candidates = decision.candidates();
        if (candidates.isEmpty()) {
            return Double.NaN;
        }
        double max = 0;
        double sum = 0;
        for (CandidateCost c : candidates) {
            double l = Math.max(0, load.load(decision, c));
            max = Math.max(max, l);
            sum += l;
        }
        double mean = sum / candidates.size();
        return mean > 0 ? max / mean : 1.0;
    }

    public static LoadImbalance of(List<RoutingDecision> decisions, CandidateLoad load) {
        return ofValues(decisions.stream().mapToDouble(d -> ofDecision(d, load)).toArray());
    }

    static LoadImbalance ofValues(double[] perDecision) {
        double sum = 0;
        double max = 0;
        int n = 0;
        for (double v : perDecision) {
            if (!Double.isNaN(v)) {
                sum += v;
                max = Math.max(max, v);
                n++;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        return new LoadImbalance(n, sum / n, Percentiles.of(perDecision, 0.9), max);
    }
}
