package dev.equilibria.control.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForecastersTest {

    @Test
    void createsEveryBuiltInForecasterByItsName() {
        assertThat(Forecasters.names()).containsExactly(EwmaForecaster.NAME, HoltForecaster.NAME);
        for (String name : Forecasters.names()) {
            assertThat(Forecasters.create(name).name()).isEqualTo(name);
        }
    }

    @Test
    void passesNamedParameters() {
        Forecaster f = Forecasters.create("ewma", Map.of("alpha", 1.0));
        f.observe(0, 1);
        f.observe(1, 9);
        assertThat(f.forecast(Duration.ZERO)).isEqualTo(9);
    }

    @Test
    void rejectsAnUnknownNameListingTheKnownOnes() {
        assertThatThrownBy(() -> Forecasters.create("arima"))
                .hasMessageContaining("arima").hasMessageContaining("ewma").hasMessageContaining("holt");
    }

    @Test
    void rejectsAnUnknownParameterNamingIt() {
        assertThatThrownBy(() -> Forecasters.create("ewma", Map.of("beta", 0.1)))
                .hasMessageContaining("ewma.beta");
    }

    @Test
    void configRejectsAnUnknownMethodAndANegativeHorizon() {
        assertThatThrownBy(() -> new ForecastConfig("prophet", Map.of(), Duration.ZERO))
                .hasMessageContaining("forecast.method");
        assertThatThrownBy(() -> new ForecastConfig("holt", Map.of(), Duration.ofSeconds(-1)))
                .hasMessageContaining("forecast.horizon");
    }
}
