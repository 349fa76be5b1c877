package dev.equilibria.control.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.PolynomialTimingModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefillPoolModelTest {

    private final PrefillPoolModel model = Profiles.prefill();
    private final Workload base = new Workload(10, 2000, 4000, 200, 0.25);

    @Test
    void atZeroLoadTtftIsTheRequestsOwnPrefillStep() {
        PrefillEstimate e = model.estimate(base.withArrivalRate(0), 4);
        // 1500 uncached tokens in one step of one sequence
        double step = Profiles.TIMING.prefillMillis(1500) / 1000;
        assertThat(e.ttftSeconds()).isCloseTo(step, within(1e-6));
        assertThat(e.waitSeconds()).isZero();
        assertThat(e.utilisation()).isZero();
        assertThat(e.attainment(step)).isEqualTo(1);
    }

    @Test
    void capacityIsTheFullBatchThroughput() {
        double full = EngineConfig.DEFAULT_MAX_NUM_BATCHED_TOKENS;
        double expected = full / (Profiles.TIMING.prefillMillis((int) full) / 1000);
        assertThat(model.workerTokensPerSecond(base)).isCloseTo(expected, within(1e-6 * expected));
        assertThat(model.maxArrivalRate(base, 3)).isCloseTo(3 * expected / 1500, within(1e-6));
    }

    @ParameterizedTest(name = "utilisation {0}")
    @CsvSource({"0.5", "0.9", "0.99", "0.999"})
    void waitFollowsMd1AndBlowsUpTowardSaturation(double rho) {
        double rate = rho * model.maxArrivalRate(base, 2);
        PrefillEstimate e = model.estimate(base.withArrivalRate(rate), 2);
        double workSeconds = 1500 / model.workerTokensPerSecond(base);
        assertThat(e.utilisation()).isCloseTo(rho, within(1e-9));
        assertThat(e.waitSeconds()).isCloseTo(rho * workSeconds / (2 * (1 - rho)), within(1e-9));
        assertThat(e.ttftSeconds()).isEqualTo(e.serviceSeconds() + e.waitSeconds());
    }

    @Test
    void ttftGrowsWithoutBoundAsUtilisationApproachesOne() {
        double previous = 0;
        for (double rho : new double[] {0.5, 0.9, 0.99, 0.999, 0.9999}) {
            double ttft = model.estimate(base.withArrivalRate(rho * model.maxArrivalRate(base, 1)), 1).ttftSeconds();
            assertThat(ttft).isGreaterThan(previous);
            previous = ttft;
        }
        assertThat(previous).isGreaterThan(100);
    }

    @ParameterizedTest(name = "utilisation {0}")
    @CsvSource({"1.0", "1.5"})
    void saturatedPoolHasInfiniteTtftAndNoAttainment(double rho) {
        PrefillEstimate e = model.estimate(base.withArrivalRate(rho * model.maxArrivalRate(base, 2)), 2);
        assertThat(e.ttftSeconds()).isInfinite();
        assertThat(e.saturated()).isTrue();
        assertThat(e.attainment(1e9)).isZero();
    }

    @Test
    void moreWorkersAndMorePrefixHitsLowerTtft() {
        double at2 = model.estimate(base.withArrivalRate(40), 2).ttftSeconds();
        double at3 = model.estimate(base.withArrivalRate(40), 3).ttftSeconds();
        Workload cached = new Workload(40, 2000, 4000, 200, 0.75);
        double cachedAt2 = model.estimate(cached, 2).ttftSeconds();
        assertThat(at3).isLessThan(at2);
        assertThat(cachedAt2).isLessThan(at2);
    }

    @Test
    void promptsLongerThanOneStepArePrefilledInChunks() {
        PolynomialTimingModel linear = new PolynomialTimingModel(10, 0.01, 0, 0, 0, 0);
        PrefillPoolModel chunked = new PrefillPoolModel(new WorkerProfile(
                new EngineConfig(64, 1000, 4, 1000, 100_000, 0), linear));
        Workload longPrompt = new Workload(0, 2500, 2500, 10, 0);
        // chunks of 1000, 1000 and 500 tokens: (10 + 10) + (10 + 10) + (10 + 5) ms
        assertThat(chunked.estimate(longPrompt, 1).serviceSeconds()).isCloseTo(0.055, within(1e-9));
    }

    @Test
    void attainmentFallsAsLoadRises() {
        double low = model.estimate(base.withArrivalRate(0.5 * model.maxArrivalRate(base, 2)), 2).attainment(0.3);
        double high = model.estimate(base.withArrivalRate(0.95 * model.maxArrivalRate(base, 2)), 2).attainment(0.3);
        assertThat(low).isBetween(0.0, 1.0).isGreaterThan(high);
        assertThat(high).isBetween(0.0, 1.0);
    }
}
