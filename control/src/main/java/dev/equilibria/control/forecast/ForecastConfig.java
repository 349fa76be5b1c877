package dev.equilibria.control.forecast;

import java.time.Duration;
import java.util.Map;

/**
 * How the allocator forecasts demand.
 *
 * @param method  forecaster name ({@code ewma}, {@code holt})
 * @param params  forecaster parameters by name; missing ones take their defaults
 * @param horizon how far ahead to plan: about the time a worker needs to drain and start in its new role
 */
public record ForecastConfig(String method, Map<String, Double> params, Duration horizon) {

    public static final String DEFAULT_METHOD = HoltForecaster.NAME;
    public static final Duration DEFAULT_HORIZON = Duration.ofSeconds(60);

    public ForecastConfig {
        if (method == null || !Forecasters.names().contains(method)) {
            throw new IllegalArgumentException("forecast.method must be one of " + Forecasters.names() + ", was "
                    + method);
        }
        params = Map.copyOf(params);
        if (horizon == null || horizon.isNegative()) {
            throw new IllegalArgumentException("forecast.horizon must be zero or positive, was " + horizon);
        }
        // fail at startup, not at the first forecast
        Forecasters.create(method, params);
    }

    public static ForecastConfig defaults() {
        return new ForecastConfig(DEFAULT_METHOD, Map.of(), DEFAULT_HORIZON);
    }
}
