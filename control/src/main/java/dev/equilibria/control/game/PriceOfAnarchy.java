package dev.equilibria.control.game;

/**
 * Ratio of social costs, {@code cost(outcome) / cost(social optimum)}, with the social cost the total
 * SLO-normalised latency of {@link SplitOutcome#socialCost()}.
 *
 * <p>The optimum maximises goodput first, so an outcome with lower latency but lower goodput can score below 1
 * (as the paper's PoA-hat can); the goodput gap is reported beside it for that reason.
 */
public final class PriceOfAnarchy {

    private PriceOfAnarchy() {
    }

    /**
     * Guarded ratio: 1 when both costs are zero, infinite when only the optimum's is, or when the outcome's cost
     * is infinite.
     */
    public static double ratio(double outcomeCost, double optimumCost) {
        if (Double.isNaN(outcomeCost) || Double.isNaN(optimumCost)) {
            return Double.NaN;
        }
        if (!(optimumCost > 0)) {
            return outcomeCost > 0 ? Double.POSITIVE_INFINITY : 1;
        }
        if (Double.isInfinite(optimumCost)) {
            return Double.isInfinite(outcomeCost) ? 1 : outcomeCost / optimumCost;
        }
        return outcomeCost / optimumCost;
    }

    /** Lost goodput relative to the optimum's, in [0, 1] when the optimum is best; 0 when the optimum serves none. */
    public static double goodputGap(double outcomeGoodput, double optimumGoodput) {
        return optimumGoodput > 0 ? (optimumGoodput - outcomeGoodput) / optimumGoodput : 0;
    }
}
