package dev.equilibria.control.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HoltForecasterTest {

    @Test
    void tracksARampSampledAtIrregularIntervals() {
        HoltForecaster holt = new HoltForecaster();
        EwmaForecaster ewma = new EwmaForecaster();
        long t = 0;
        long[] gaps = {7_000, 13_000, 10_000, 9_000, 11_000};
        for (int i = 0; i < 300; i++) {
            t += gaps[i % gaps.length];
            double value = 5 + 0.1 * t / 1000.0;   // +0.1 req/s every second
            holt.observe(t, value);
            ewma.observe(t, value);
        }
        double inAMinute = 5 + 0.1 * (t + 60_000) / 1000.0;
        assertThat(holt.trendPerSecond()).isCloseTo(0.1, within(1e-3));
        assertThat(holt.forecast(Duration.ofMinutes(1))).isCloseTo(inAMinute, within(0.05));
        // the EWMA lags the ramp by roughly (1 - alpha) / alpha observations plus the horizon
        assertThat(inAMinute - ewma.forecast(Duration.ofMinutes(1))).isGreaterThan(6);
    }

    @Test
    void aConstantSeriesHasNoTrend() {
        HoltForecaster holt = new HoltForecaster();
        for (int i = 0; i < 50; i++) {
            holt.observe(i * 10_000L, 12);
        }
        assertThat(holt.trendPerSecond()).isCloseTo(0, within(1e-12));
        assertThat(holt.forecast(Duration.ofHours(1))).isCloseTo(12, within(1e-6));
    }

    @Test
    void simultaneousObservationsUpdateTheLevelOnly() {
        HoltForecaster holt = new HoltForecaster(new HoltForecaster.Params(0.5, 0.5));
        holt.observe(1000, 10);
        holt.observe(1000, 20);
        assertThat(holt.trendPerSecond()).isZero();
        assertThat(holt.forecast(Duration.ZERO)).isEqualTo(15);
    }

    @Test
    void rejectsParametersOutsideTheirRangeNamingThem() {
        assertThatThrownBy(() -> new HoltForecaster.Params(0, 0.1)).hasMessageContaining("holt.alpha");
        assertThatThrownBy(() -> new HoltForecaster.Params(0.3, 1.1)).hasMessageContaining("holt.beta");
    }
}
