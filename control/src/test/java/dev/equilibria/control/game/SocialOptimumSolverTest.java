package dev.equilibria.control.game;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.pool.AnalyticPool;
import dev.equilibria.control.pool.PoolModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocialOptimumSolverTest {

    private final SocialOptimumSolver solver = new SocialOptimumSolver();

    @ParameterizedTest(name = "G={0}")
    @CsvSource({"4", "10", "11"})
    void symmetricPoolsWhereEverySplitMeetsTheSlosTakeTheLeastLatency(int budget) {
        AnalyticPool pool = new AnalyticPool(0, 10);
        PoolGame game = new PoolGame(pool, pool, new Slo(10, 10), AnalyticPool.rate(5), budget);
        SplitOutcome best = solver.solve(game);
        assertThat(Math.abs(best.split().prefillWorkers() - best.split().decodeWorkers())).isLessThanOrEqualTo(1);
        assertThat(best.goodput()).isEqualTo(5);
    }

    /**
     * Prefill: 0.94 s + 1/(10 x - 50) against a 1 s TTFT target, so it needs x >= 7. Decode: 1/(20 y - 50)
     * against 10 ms, so y >= 8. With 15 workers only 7P/8D meets both; the least-latency split (the
     * equilibrium, 6P/9D) misses the TTFT target.
     */
    @Test
    void goodputComesBeforeLatency() {
        PoolGame game = new PoolGame(new AnalyticPool(0.94, 10), new AnalyticPool(0, 20), new Slo(1, 0.01),
                AnalyticPool.rate(50), 15);
        SplitOutcome best = solver.solve(game);
        Split equilibrium = new EquilibriumSolver().solve(game).split();
        assertThat(best.split()).isEqualTo(new Split(7, 8));
        assertThat(best.goodput()).isEqualTo(50);
        assertThat(equilibrium).isEqualTo(new Split(6, 9));
        assertThat(game.evaluate(equilibrium).goodput()).isZero();
        assertThat(game.evaluate(equilibrium).socialCost()).isLessThan(best.socialCost());
    }

    @Test
    void whenNoSplitMeetsTheSlosTheLeastLatencyWins() {
        // both pools saturate at any split: demand is beyond the whole budget's capacity
        PoolGame game = new PoolGame(new AnalyticPool(0, 10), new AnalyticPool(0, 30), new Slo(1, 1),
                AnalyticPool.rate(200), 12);
        SplitOutcome best = solver.solve(game);
        assertThat(best.goodput()).isZero();
        Split equilibrium = new EquilibriumSolver().solve(game).split();
        assertThat(best.split()).isEqualTo(equilibrium);
    }

    @Test
    void whenNoPoolValuesAWorkerTheEvenSplitIsChosen() {
        PoolModel flat = (workload, workers) -> new AnalyticPool.Estimate(0.1, 0);
        PoolGame game = new PoolGame(flat, flat, new Slo(1, 1), AnalyticPool.rate(0), 10);
        assertThat(solver.solve(game).split()).isEqualTo(new Split(5, 5));
        assertThat(new EquilibriumSolver().solve(game).split()).isEqualTo(new Split(5, 5));
    }
}
