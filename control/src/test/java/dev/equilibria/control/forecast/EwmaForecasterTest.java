package dev.equilibria.control.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EwmaForecasterTest {

    @ParameterizedTest(name = "alpha {0}, {1} observations after a step")
    @CsvSource({"0.3, 1", "0.3, 5", "0.5, 3", "1.0, 1"})
    void followsAStepGeometrically(double alpha, int steps) {
        EwmaForecaster f = new EwmaForecaster(new EwmaForecaster.Params(alpha));
        f.observe(0, 0);
        for (int i = 1; i <= steps; i++) {
            f.observe(i * 1000L, 100);
        }
        assertThat(f.forecast(Duration.ofMinutes(5))).isCloseTo(100 * (1 - Math.pow(1 - alpha, steps)),
                within(1e-9));
    }

    @Test
    void firstObservationIsTheLevel() {
        EwmaForecaster f = new EwmaForecaster();
        assertThat(f.hasObservations()).isFalse();
        f.observe(0, 42);
        assertThat(f.forecast(Duration.ZERO)).isEqualTo(42);
    }

    @Test
    void refusesToForecastBeforeAnyObservation() {
        assertThatThrownBy(() -> new EwmaForecaster().forecast(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @CsvSource({"0", "-0.1", "1.5", "NaN"})
    void rejectsAlphaOutsideItsRangeNamingIt(double alpha) {
        assertThatThrownBy(() -> new EwmaForecaster.Params(alpha)).hasMessageContaining("ewma.alpha");
    }
}
