package dev.equilibria.control.forecast;

import java.time.Duration;

/**
 * Predicts one time series a horizon ahead. Implementations are registered by name in {@link Forecasters}; they are
 * not thread-safe (the allocator feeds them from one loop).
 */
public interface Forecaster {

    /** Config name, for example {@code ewma}. */
    String name();

    /** Adds one observation. Timestamps should not go backwards; an older one is treated as simultaneous. */
    void observe(long timestampMs, double value);

    boolean hasObservations();

    /**
     * The value expected {@code horizon} after the latest observation.
     *
     * @throws IllegalStateException before the first observation
     */
    double forecast(Duration horizon);
}
