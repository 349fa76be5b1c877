package dev.equilibria.control.game;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.Profiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GameSolverTest {

    private final GameSolver solver = new GameSolver(Profiles.prefill(), Profiles.decode(), Slo.DEFAULTS);

    @ParameterizedTest(name = "lambda={0} input={1} output={2} hit={3} G={4}")
    @CsvSource({
            "0, 2000, 300, 0.3, 2",
            "0, 2000, 300, 0.3, 16",
            "20, 2000, 300, 0.3, 3",
            "80, 2000, 300, 0.3, 16",
            "300, 1000, 1000, 0.5, 16",
            "2000, 2000, 300, 0.3, 16",
            "200, 4000, 200, 0.0, 64",
            "900, 2000, 300, 0.6, 200"})
    void noSolutionExceedsTheBudgetOrEmptiesAPool(double rate, double input, double output, double hit,
                                                   int budget) {
        GameResult r = solver.solve(new Workload(rate, input, 2 * input, output, hit), budget);
        List<Split> all = new ArrayList<>(List.of(r.equilibrium().split(), r.optimum().split(),
                r.competition().split()));
        all.addAll(r.competition().cycle());
        r.splits().forEach(o -> all.add(o.split()));
        assertThat(all).allSatisfy(s -> {
            assertThat(s.total()).isLessThanOrEqualTo(budget);
            assertThat(s.prefillWorkers()).isPositive();
            assertThat(s.decodeWorkers()).isPositive();
        });
        assertThat(r.equilibrium().split().total()).isEqualTo(budget);
        assertThat(r.optimum().split().total()).isEqualTo(budget);
        assertThat(r.splits()).hasSize(budget - 1);
        assertThat(r.equilibrium().continuousPrefillWorkers()).isBetween(1.0, budget - 1.0);
        assertThat(r.poaEquilibrium()).isNotNaN().isPositive();
        assertThat(r.poaCompetition()).isNotNaN().isPositive();
    }

    @ParameterizedTest(name = "lambda={0}")
    @CsvSource({"5", "50", "150"})
    void theOptimumHasAtLeastTheGoodputOfEveryOtherOutcome(double rate) {
        GameResult r = solver.solve(new Workload(rate, 2000, 4000, 300, 0.3), 16);
        double best = r.optimum().goodput();
        double slack = SocialOptimumSolver.GOODPUT_TIE_TOLERANCE * rate;
        assertThat(r.splits()).allSatisfy(o -> assertThat(o.goodput()).isLessThanOrEqualTo(best + slack));
        assertThat(r.equilibriumOutcome().goodput()).isLessThanOrEqualTo(best + slack);
        assertThat(r.goodputGapCompetition()).isGreaterThanOrEqualTo(-SocialOptimumSolver.GOODPUT_TIE_TOLERANCE);
    }
}
