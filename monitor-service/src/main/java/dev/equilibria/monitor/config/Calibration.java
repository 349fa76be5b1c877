package dev.equilibria.monitor.config;

/** Where the regime detector's TTFT thresholds {@code theta1}/{@code theta2} come from at startup. */
public enum Calibration {
    /** The engine profile's predicted latency curve at {@code calibration-u1}/{@code -u2} of capacity (default). */
    PROFILE,
    /**
     * Start from the profile's thresholds, then recalibrate from the TTFT P99 plateau observed over the first
     * {@code plateau-warmup-polls} polls with finished requests.
     */
    PLATEAU,
    /** {@code theta1-ms} and {@code theta2-ms} as given. */
    FIXED
}
