package dev.equilibria.control.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.AnalyticPool;
import dev.equilibria.control.pool.Profiles;
import org.junit.jupiter.api.Test;

class PoolGameTest {

    private final PoolGame analytic = new PoolGame(new AnalyticPool(0, 10), new AnalyticPool(0, 20), new Slo(0.5, 0.1),
            AnalyticPool.rate(50), 12);

    @Test
    void costIsSloNormalisedLatencyBelowTheKnee() {
        // 8 prefill workers: latency 1 / (80 - 50) against 0.5 s
        assertThat(analytic.cost(Pool.PREFILL, 8.0)).isCloseTo(1 / 30.0 / 0.5, within(1e-12));
        assertThat(analytic.utility(Pool.DECODE, 4.0)).isCloseTo(-1 / 30.0 / 0.1, within(1e-12));
    }

    @Test
    void costIsFiniteAndKeepsRisingPastSaturation() {
        double previous = 0;
        // 50 req/s on 10 req/s workers: utilisation 0.96 at 5.2 workers, 1.0 at 5, 2.5 at 2
        for (double workers : new double[] {8, 6, 5.3, 5.2, 5.0, 4.0, 3.0, 2.0, 1.0}) {
            double cost = analytic.cost(Pool.PREFILL, workers);
            assertThat(cost).isFinite().isGreaterThan(previous);
            previous = cost;
        }
        assertThat(analytic.cost(Pool.PREFILL, 5.0)).isGreaterThan(PoolGame.OVERLOAD_SLOPE * 0.05);
    }

    @Test
    void costIsContinuousAtTheKnee() {
        double knee = 50 / (10 * PoolGame.KNEE_UTILISATION);
        assertThat(analytic.cost(Pool.PREFILL, knee * (1 - 1e-9)))
                .isCloseTo(analytic.cost(Pool.PREFILL, knee * (1 + 1e-9)), within(1e-4));
    }

    @Test
    void noWorkersCostInfinitely() {
        assertThat(analytic.cost(Pool.DECODE, 0)).isInfinite();
        assertThat(analytic.evaluate(new Split(0, 12)).goodput()).isZero();
    }

    @Test
    void marginalUtilityIsTheSlopeOfUtility() {
        // d/dG of -1 / (T (mu G - l)) = mu / (T (mu G - l)^2)
        assertThat(analytic.marginalUtility(Pool.PREFILL, 8)).isCloseTo(10 / (0.5 * 900), within(1e-6));
    }

    @Test
    void goodputIsDemandTimesJointAttainment() {
        PoolGame real = new PoolGame(Profiles.prefill(), Profiles.decode(), Slo.DEFAULTS,
                new Workload(60, 2000, 4000, 300, 0.3), 8);
        SplitOutcome o = real.evaluate(new Split(3, 5));
        assertThat(o.goodput()).isCloseTo(60 * o.prefill().attainment(0.5) * o.decode().attainment(0.05),
                within(1e-9));
        assertThat(o.socialCost()).isEqualTo(o.prefillCost() + o.decodeCost());
    }

    @Test
    void rejectsABudgetThatCannotSeatBothPools() {
        assertThatThrownBy(() -> new PoolGame(new AnalyticPool(0, 1), new AnalyticPool(0, 1), Slo.DEFAULTS,
                AnalyticPool.rate(1), 1)).hasMessageContaining("budget");
    }
}
