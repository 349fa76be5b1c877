package dev.equilibria.routing.policy;

/**
 * Splits traffic by the allocator's per-worker routing weights ({@code Allocation.routing_weights}): each candidate
 * is drawn with probability {@code weight_j / sum(weights)} from the injected random source. A worker the allocator
 * gave no weight counts {@link #DEFAULT_WEIGHT}; if every weight is 0 the draw is uniform. Reads no parameters; the
 * cost is {@code 1 - p_j}.
 */
public final class WeightedSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "weighted";
    /** Weight of a worker the allocator has not weighed (a new worker gets an even share until it does). */
    public static final double DEFAULT_WEIGHT = 1.0;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        int n = context.size();
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double w = context.candidate(i).weight();
            p[i] = Double.isFinite(w) && w > 0 ? w : 0;
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] = sum > 0 ? p[i] / sum : 1.0 / n;
        }
        int chosen = Picks.sample(p, context.random());
        double[] costs = new double[n];
        for (int i = 0; i < n; i++) {
            costs[i] = 1 - p[i];
        }
        return new Selection(chosen, costs);
    }
}
