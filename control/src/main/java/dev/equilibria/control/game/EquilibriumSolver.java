package dev.equilibria.control.game;

/**
 * Finds the variational equilibrium. With separable payoffs and one shared constraint G_P + G_D <= G, the KKT
 * conditions of the two players with a common multiplier are those of maximising U_P + U_D: the game is a potential
 * game. Payoffs increase in workers, so the budget binds.
 *
 * <ul>
 *   <li>Continuous: bisection on {@code h(x) = U_P'(x) - U_D'(G - x)} over [1, G - 1]; h decreases when the
 *       payoffs are concave. If h keeps one sign the solution is the corner it points to; if h is zero at both ends (no
 *       load: no player values a worker) the even split is reported.</li>
 *   <li>Whole workers: the split maximising U_P(g) + U_D(G - g), nearest to x* on ties. No transfer of one worker
 *       raises the sum there, the discrete form of equal marginals; with concave payoffs it is floor or ceil of x*.</li>
 * </ul>
 */
public final class EquilibriumSolver {

    /** |h| below which marginal utilities count as equal. */
    public static final double MARGINAL_TOLERANCE = 1e-9;
    private static final double POSITION_TOLERANCE = 1e-7;
    private static final int MAX_BISECTIONS = 200;

    public VariationalEquilibrium solve(PoolGame game) {
        int budget = game.budget();
        double lo = 1;
        double hi = budget - 1;
        double hLo = gap(game, lo);
        double hHi = gap(game, hi);
        double x;
        boolean interior;
        if (Math.abs(hLo) <= MARGINAL_TOLERANCE && Math.abs(hHi) <= MARGINAL_TOLERANCE) {
            x = budget / 2.0;
            interior = true;
        } else if (hLo <= 0) {
            x = lo;
            interior = hLo >= -MARGINAL_TOLERANCE;
        } else if (hHi >= 0) {
            x = hi;
            interior = hHi <= MARGINAL_TOLERANCE;
        } else {
            for (int i = 0; i < MAX_BISECTIONS && hi - lo > POSITION_TOLERANCE; i++) {
                double mid = (lo + hi) / 2;
                if (gap(game, mid) > 0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            x = (lo + hi) / 2;
            interior = true;
        }
        return new VariationalEquilibrium(x, game.marginalUtility(Pool.PREFILL, x), gap(game, x), interior,
                wholeWorkerSplit(game, x));
    }

    private static double gap(PoolGame game, double x) {
        return game.marginalUtility(Pool.PREFILL, x) - game.marginalUtility(Pool.DECODE, game.budget() - x);
    }

    private static Split wholeWorkerSplit(PoolGame game, double x) {
        int budget = game.budget();
        int best = -1;
        double bestUtility = Double.NEGATIVE_INFINITY;
        for (int g = 1; g < budget; g++) {
            double u = -(game.cost(Pool.PREFILL, g) + game.cost(Pool.DECODE, budget - g));
            boolean better = u > bestUtility + 1e-12
                    || (u >= bestUtility - 1e-12 && best >= 0 && Math.abs(g - x) < Math.abs(best - x));
            if (best < 0 || better) {
                best = g;
                bestUtility = Math.max(u, bestUtility);
            }
        }
        return new Split(best, budget - best);
    }
}
