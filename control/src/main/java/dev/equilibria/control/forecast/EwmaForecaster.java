package dev.equilibria.control.forecast;

import java.time.Duration;

/**
 * Exponentially weighted moving average: {@code level = alpha * x + (1 - alpha) * level}; the forecast is the
 * level at any horizon. Lags a trend by about {@code (1 - alpha) / alpha} observations, which is why
 * {@link HoltForecaster} exists.
 */
public final class EwmaForecaster implements Forecaster {

    public static final String NAME = "ewma";
    /** Weight of the newest observation; 0.3 forgets a step change in about ten observations. */
    public static final double DEFAULT_ALPHA = 0.3;

    /** @param alpha weight of the newest observation, in (0, 1] */
    public record Params(double alpha) {

        public static final Params DEFAULTS = new Params(DEFAULT_ALPHA);

        public Params {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("ewma.alpha must be in (0, 1], was " + alpha);
            }
        }
    }

    private final Params params;
    private boolean seen;
    private double level;

    public EwmaForecaster() {
        this(Params.DEFAULTS);
    }

    public EwmaForecaster(Params params) {
        this.params = params;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void observe(long timestampMs, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("observation must be finite, was " + value);
        }
        level = seen ? params.alpha() * value + (1 - params.alpha()) * level : value;
        seen = true;
    }

    @Override
    public boolean hasObservations() {
        return seen;
    }

    @Override
    public double forecast(Duration horizon) {
        if (!seen) {
            throw new IllegalStateException("ewma: no observation yet");
        }
        return level;
    }
}
