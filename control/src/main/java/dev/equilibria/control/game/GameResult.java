package dev.equilibria.control.game;

import dev.equilibria.control.forecast.Workload;
import java.util.List;

/**
 * The solved game at one workload and budget.
 *
 * @param equilibriumOutcome the whole-worker variational equilibrium's predicted outcome
 * @param optimum            the social optimum's predicted outcome
 * @param poaEquilibrium     social cost of the equilibrium over the optimum's
 * @param poaCompetition     social cost of unregulated competition over the optimum's
 * @param splits             every full-budget split's outcome, prefill workers 1 to G - 1, for reports
 */
public record GameResult(Workload workload, int budget, Slo slo, VariationalEquilibrium equilibrium,
                         SplitOutcome equilibriumOutcome, SplitOutcome optimum, CompetitionOutcome competition,
                         double poaEquilibrium, double poaCompetition, List<SplitOutcome> splits) {

    public GameResult {
        splits = List.copyOf(splits);
    }

    /** Goodput the equilibrium loses against the optimum, as a fraction of the optimum's. */
    public double goodputGapEquilibrium() {
        return PriceOfAnarchy.goodputGap(equilibriumOutcome.goodput(), optimum.goodput());
    }

    /** Goodput competition loses against the optimum, as a fraction of the optimum's. */
    public double goodputGapCompetition() {
        return PriceOfAnarchy.goodputGap(competition.goodput(), optimum.goodput());
    }
}
