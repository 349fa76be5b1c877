package dev.equilibria.control.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.AnalyticPool;
import dev.equilibria.control.pool.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EquilibriumSolverTest {

    private final EquilibriumSolver solver = new EquilibriumSolver();

    @ParameterizedTest(name = "G={0}, lambda={1}")
    @CsvSource({"2, 1", "8, 10", "9, 10", "16, 50", "64, 300"})
    void symmetricPoolsSplitEvenly(int budget, double rate) {
        AnalyticPool pool = new AnalyticPool(0.01, 10);
        PoolGame game = new PoolGame(pool, pool, new Slo(1, 1), AnalyticPool.rate(rate), budget);
        VariationalEquilibrium ve = solver.solve(game);
        assertThat(ve.continuousPrefillWorkers()).isCloseTo(budget / 2.0, within(1e-4));
        assertThat(ve.split().total()).isEqualTo(budget);
        assertThat(Math.abs(ve.split().prefillWorkers() - ve.split().decodeWorkers())).isLessThanOrEqualTo(1);
    }

    /**
     * Minimising 1/(T_P (mu_P x - l)) + 1/(T_D (mu_D (G - x) - l)): with a = mu_P / T_P and b = mu_D / T_D,
     * x* = (mu_D G sqrt(a) + l (sqrt(b) - sqrt(a))) / (mu_P sqrt(b) + mu_D sqrt(a)).
     */
    @ParameterizedTest(name = "mu_P={0} mu_D={1} T_P={2} T_D={3} lambda={4} G={5}")
    @CsvSource({
            "10, 20, 1, 1, 50, 16",
            "10, 20, 0.5, 0.05, 30, 20",
            "4, 40, 2, 0.1, 20, 24",
            "25, 5, 1, 1, 40, 32"})
    void asymmetricPoolsMeetTheClosedFormOptimum(double muP, double muD, double ttft, double itl, double rate,
                                                 int budget) {
        PoolGame game = new PoolGame(new AnalyticPool(0, muP), new AnalyticPool(0, muD), new Slo(ttft, itl),
                AnalyticPool.rate(rate), budget);
        double a = Math.sqrt(muP / ttft);
        double b = Math.sqrt(muD / itl);
        double expected = (muD * budget * a + rate * (b - a)) / (muP * b + muD * a);
        VariationalEquilibrium ve = solver.solve(game);
        assertThat(ve.interior()).isTrue();
        assertThat(ve.continuousPrefillWorkers()).isCloseTo(expected, within(1e-4));
        assertThat(ve.split().prefillWorkers()).isIn((int) Math.floor(expected), (int) Math.ceil(expected));
    }

    @ParameterizedTest(name = "lambda={0} input={1} output={2} hit={3} G={4}")
    @CsvSource({
            "5, 2000, 300, 0.3, 16",
            "50, 2000, 300, 0.3, 16",
            "150, 1000, 500, 0.5, 16",
            "40, 8000, 200, 0.0, 24",
            "300, 500, 1000, 0.8, 32",
            "600, 2000, 300, 0.3, 16"})
    void equilibriumOfThePoolModelsEqualisesMarginalUtilities(double rate, double input, double output,
                                                              double hit, int budget) {
        PoolGame game = new PoolGame(Profiles.prefill(), Profiles.decode(), Slo.DEFAULTS,
                new Workload(rate, input, 2 * input, output, hit), budget);
        VariationalEquilibrium ve = solver.solve(game);
        double x = ve.continuousPrefillWorkers();
        double muP = game.marginalUtility(Pool.PREFILL, x);
        double muD = game.marginalUtility(Pool.DECODE, budget - x);
        if (ve.interior()) {
            assertThat(muP - muD).isCloseTo(0, within(1e-6 * Math.max(1e-3, Math.abs(muP))));
            assertThat(ve.marginalUtility()).isCloseTo(muP, within(1e-12));
        } else {
            // a corner: the pool held at one worker values its worker less than the other values its last
            assertThat(x == 1 ? muP <= muD : muP >= muD).isTrue();
        }
        assertNoProfitableTransfer(game, ve.split());
    }

    /** The discrete equal-marginal condition: moving one worker either way does not raise U_P + U_D. */
    private static void assertNoProfitableTransfer(PoolGame game, Split split) {
        int g = split.prefillWorkers();
        int budget = game.budget();
        double here = sum(game, g);
        if (g > 1) {
            assertThat(sum(game, g - 1)).isLessThanOrEqualTo(here + 1e-12);
        }
        if (g < budget - 1) {
            assertThat(sum(game, g + 1)).isLessThanOrEqualTo(here + 1e-12);
        }
    }

    private static double sum(PoolGame game, int g) {
        return -(game.cost(Pool.PREFILL, g) + game.cost(Pool.DECODE, game.budget() - g));
    }
}
