package dev.equilibria.control.game;

/**
 * The split a planner would choose: maximum goodput (requests per second meeting both SLOs), ties broken by the
 * social cost (total SLO-normalised latency). Exhaustive over the G - 1 full-budget splits: more workers never
 * lower a pool's attainment, so a split that leaves workers idle is never better, and G is at most a few hundred.
 * Goodputs within {@link #GOODPUT_TIE_TOLERANCE} of demand of the best count as tied, so that a model's
 * fourth-decimal preference does not override a clear latency difference. Equal social costs (no load: nobody
 * values a worker) go to the split nearest to even.
 */
public final class SocialOptimumSolver {

    /** Goodput differences below this fraction of the arrival rate are ties. */
    public static final double GOODPUT_TIE_TOLERANCE = 1e-3;

    public SplitOutcome solve(PoolGame game) {
        int budget = game.budget();
        double bestGoodput = Double.NEGATIVE_INFINITY;
        for (int g = 1; g < budget; g++) {
            bestGoodput = Math.max(bestGoodput, game.evaluate(new Split(g, budget - g)).goodput());
        }
        double floor = bestGoodput - GOODPUT_TIE_TOLERANCE * game.workload().arrivalRate();
        SplitOutcome best = null;
        for (int g = 1; g < budget; g++) {
            SplitOutcome o = game.evaluate(new Split(g, budget - g));
            if (o.goodput() >= floor && (best == null || better(o, best, budget))) {
                best = o;
            }
        }
        return best;
    }

    private static boolean better(SplitOutcome candidate, SplitOutcome best, int budget) {
        double a = candidate.socialCost();
        double b = best.socialCost();
        if (a == b || Math.abs(a - b) <= 1e-12 * Math.abs(b)) {
            return Math.abs(2 * candidate.split().prefillWorkers() - budget)
                    < Math.abs(2 * best.split().prefillWorkers() - budget);
        }
        return a < b;
    }
}
