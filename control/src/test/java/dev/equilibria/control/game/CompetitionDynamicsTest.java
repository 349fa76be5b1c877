package dev.equilibria.control.game;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.AnalyticPool;
import dev.equilibria.control.pool.PoolModel;
import dev.equilibria.control.pool.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompetitionDynamicsTest {

    private final CompetitionDynamics dynamics = new CompetitionDynamics();

    @ParameterizedTest(name = "claims {0}/{1} of {2}")
    @CsvSource({
            "1, 1, 8, 1, 1",
            "3, 5, 8, 3, 5",
            "8, 8, 8, 4, 4",
            "8, 2, 8, 6, 2",
            "10, 1, 10, 9, 1",
            "1, 10, 10, 1, 9",
            "5, 10, 12, 4, 8"})
    void schedulerGrantsClaimsThatFitAndRationsProportionallyOtherwise(int p, int d, int budget, int grantedP,
                                                                      int grantedD) {
        assertThat(CompetitionDynamics.grant(new Claims(p, d), budget)).isEqualTo(new Split(grantedP, grantedD));
    }

    @Test
    void underLightLoadBothPoolsSatiateAndLeaveWorkersIdle() {
        // latency 1/(10 G - 5): a pool stops claiming once one more worker gains less than 1 % of its SLO
        AnalyticPool pool = new AnalyticPool(0, 10);
        PoolGame game = new PoolGame(pool, pool, new Slo(1, 1), AnalyticPool.rate(5), 20);
        CompetitionOutcome outcome = dynamics.play(game);
        assertThat(outcome.kind()).isEqualTo(CompetitionOutcome.Kind.FIXED_POINT);
        assertThat(outcome.split().total()).isLessThan(20);
        assertThat(outcome.split().prefillWorkers()).isEqualTo(outcome.split().decodeWorkers());
    }

    @Test
    void underHeavyLoadClaimsEscalateAndTheSplitSettlesNearEven() {
        // prefill (10 req/s per worker) needs three times the workers decode (40 req/s) does; both stay hungry
        GameSolver solver = new GameSolver(new AnalyticPool(0, 10), new AnalyticPool(0, 40), new Slo(0.05, 0.05));
        GameResult result = solver.solve(AnalyticPool.rate(60), 16);
        CompetitionOutcome outcome = result.competition();
        int highestClaim = outcome.trajectory().stream()
                .mapToInt(c -> Math.max(c.prefill(), c.decode())).max().orElseThrow();
        assertThat(highestClaim).isEqualTo(16);
        assertThat(outcome.cycle()).allSatisfy(s ->
                assertThat(Math.abs(s.prefillWorkers() - s.decodeWorkers())).isLessThanOrEqualTo(2));
        assertThat(result.optimum().split()).isEqualTo(new Split(12, 4));
        assertThat(result.poaCompetition()).isGreaterThan(2);
    }

    @Test
    void everyStateOfTheDynamicsStaysWithinTheBudget() {
        for (double rate : new double[] {0, 5, 50, 150, 400, 800}) {
            PoolGame game = new PoolGame(Profiles.prefill(), Profiles.decode(), Slo.DEFAULTS,
                    new Workload(rate, 2000, 4000, 300, 0.3), 16);
            CompetitionOutcome outcome = dynamics.play(game);
            for (Split s : outcome.cycle()) {
                assertThat(s.total()).isLessThanOrEqualTo(16);
                assertThat(s.prefillWorkers()).isPositive();
                assertThat(s.decodeWorkers()).isPositive();
            }
            for (Claims c : outcome.trajectory()) {
                assertThat(CompetitionDynamics.grant(c, 16).total()).isLessThanOrEqualTo(16);
            }
        }
    }

    @Test
    void reportsACycleWhenBestResponsesLoop() {
        // each pool is happy only with exactly two of the three workers: whoever holds them is outbid in turn
        PoolModel wantsTwo = (workload, workers) -> new AnalyticPool.Estimate(Math.round(workers) == 2 ? 0.1 : 0.2,
                0.1);
        PoolGame game = new PoolGame(wantsTwo, wantsTwo, new Slo(1, 1), AnalyticPool.rate(1), 3);
        CompetitionOutcome outcome = dynamics.play(game);
        assertThat(outcome.kind()).isEqualTo(CompetitionOutcome.Kind.CYCLE);
        assertThat(outcome.cycle()).contains(new Split(2, 1), new Split(1, 2));
        assertThat(outcome.socialCost()).isBetween(0.3, 0.4);
    }
}
