package dev.equilibria.control.efficiency;

/**
 * How much history a rolling index keeps.
 *
 * @param maxSamples    most recent samples kept ({@code max_samples})
 * @param horizonMillis age beyond which a sample is dropped ({@code horizon_ms})
 */
public record WindowLimits(int maxSamples, long horizonMillis) {

    public static final int DEFAULT_MAX_SAMPLES = 4096;
    public static final long DEFAULT_HORIZON_MILLIS = 60_000;

    public WindowLimits {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("max_samples must be positive, got " + maxSamples);
        }
        if (horizonMillis <= 0) {
            throw new IllegalArgumentException("horizon_ms must be positive, got " + horizonMillis);
        }
    }

    public static WindowLimits defaults() {
        return new WindowLimits(DEFAULT_MAX_SAMPLES, DEFAULT_HORIZON_MILLIS);
    }
}
