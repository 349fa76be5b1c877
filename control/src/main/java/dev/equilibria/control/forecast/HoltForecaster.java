package dev.equilibria.control.forecast;

import java.time.Duration;

/**
 * Holt's linear trend method with the trend kept per second, so observations may arrive at irregular intervals:
 *
 * <pre>
 * predicted = level + trend * dt
 * level'    = alpha * x + (1 - alpha) * predicted
 * trend'    = beta * (level' - level) / dt + (1 - beta) * trend
 * forecast(h) = level + trend * h
 * </pre>
 *
 * It follows a ramp without the lag of an EWMA, which matters because a worker moved between pools takes a while to
 * drain and start serving its new role.
 */
public final class HoltForecaster implements Forecaster {

    public static final String NAME = "holt";
    /** Weight of the newest observation in the level. */
    public static final double DEFAULT_ALPHA = 0.3;
    /** Weight of the newest slope in the trend; small, so one noisy window does not tilt the forecast. */
    public static final double DEFAULT_BETA = 0.1;

    /**
     * @param alpha level smoothing, in (0, 1]
     * @param beta  trend smoothing, in [0, 1]; 0 keeps the trend at zero (an EWMA)
     */
    public record Params(double alpha, double beta) {

        public static final Params DEFAULTS = new Params(DEFAULT_ALPHA, DEFAULT_BETA);

        public Params {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("holt.alpha must be in (0, 1], was " + alpha);
            }
            if (!(beta >= 0 && beta <= 1)) {
                throw new IllegalArgumentException("holt.beta must be in [0, 1], was " + beta);
            }
        }
    }

    private final Params params;
    private boolean seen;
    private long lastMs;
    private double level;
    /** Change of the level per second. */
    private double trend;

    public HoltForecaster() {
        this(Params.DEFAULTS);
    }

    public HoltForecaster(Params params) {
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
        if (!seen) {
            level = value;
            trend = 0;
            lastMs = timestampMs;
            seen = true;
            return;
        }
        double dt = Math.max(0, timestampMs - lastMs) / 1000.0;
        double predicted = level + trend * dt;
        double next = params.alpha() * value + (1 - params.alpha()) * predicted;
        // two observations at one instant carry no slope; fold the value into the level only
        if (dt > 0) {
            trend = params.beta() * (next - level) / dt + (1 - params.beta()) * trend;
            lastMs = timestampMs;
        }
        level = next;
    }

    @Override
    public boolean hasObservations() {
        return seen;
    }

    @Override
    public double forecast(Duration horizon) {
        if (!seen) {
            throw new IllegalStateException("holt: no observation yet");
        }
        return level + trend * horizon.toMillis() / 1000.0;
    }

    /** Current trend, per second. */
    public double trendPerSecond() {
        return trend;
    }
}
