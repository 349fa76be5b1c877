package dev.equilibria.control.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadForecasterTest {

    @Test
    void forecastsARisingRateOneHorizonAhead() {
        WorkloadForecaster f = new WorkloadForecaster(
                new ForecastConfig("holt", Map.of("alpha", 0.5, "beta", 0.3), Duration.ofSeconds(30)));
        for (int i = 0; i <= 100; i++) {
            f.observe(new DemandSnapshot(i * 10_000L, 100, 100, new Workload(10 + i, 2000, 4000, 300, 0.4)));
        }
        Workload w = f.forecast();
        // +1 req/s every 10 s: 110 now, 113 in 30 s
        assertThat(w.arrivalRate()).isCloseTo(113, within(0.1));
        assertThat(w.meanInputTokens()).isCloseTo(2000, within(1e-6));
        assertThat(w.prefixHitRate()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void clampsATrendThatOvershootsIntoImpossibleValues() {
        WorkloadForecaster f = new WorkloadForecaster(
                new ForecastConfig("holt", Map.of("alpha", 1.0, "beta", 1.0), Duration.ofHours(1)));
        f.observe(new DemandSnapshot(0, 10, 10, new Workload(5, 1000, 1000, 100, 0.1)));
        f.observe(new DemandSnapshot(10_000, 10, 10, new Workload(1, 1000, 1000, 100, 0.9)));
        Workload w = f.forecast();
        assertThat(w.arrivalRate()).isZero();
        assertThat(w.prefixHitRate()).isEqualTo(1);
    }

    @Test
    void idleWindowsLowerTheRateButNotTheLengths() {
        WorkloadForecaster f = new WorkloadForecaster(new ForecastConfig("ewma", Map.of(), Duration.ZERO));
        f.observe(new DemandSnapshot(0, 50, 50, new Workload(5, 3000, 6000, 400, 0.5)));
        for (int i = 1; i <= 10; i++) {
            f.observe(new DemandSnapshot(i * 10_000L, 0, 0, new Workload(0, 0, 0, 0, 0)));
        }
        Workload w = f.forecast();
        assertThat(w.arrivalRate()).isLessThan(0.2);
        assertThat(w.meanInputTokens()).isEqualTo(3000);
        assertThat(w.meanOutputTokens()).isEqualTo(400);
    }

    @Test
    void refusesToForecastBeforeAnySnapshot() {
        assertThatThrownBy(() -> new WorkloadForecaster(ForecastConfig.defaults()).forecast())
                .isInstanceOf(IllegalStateException.class);
    }
}
