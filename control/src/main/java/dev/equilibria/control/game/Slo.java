package dev.equilibria.control.game;

/**
 * The service-level objectives the pools play for.
 *
 * @param ttftSeconds time to first token target (the prefill pool's)
 * @param itlSeconds  inter-token latency target (the decode pool's)
 */
public record Slo(double ttftSeconds, double itlSeconds) {

    /** Dynamo planner's defaults. */
    public static final double DEFAULT_TTFT_SECONDS = 0.5;
    public static final double DEFAULT_ITL_SECONDS = 0.05;
    public static final Slo DEFAULTS = new Slo(DEFAULT_TTFT_SECONDS, DEFAULT_ITL_SECONDS);

    public Slo {
        if (!(ttftSeconds > 0) || Double.isInfinite(ttftSeconds)) {
            throw new IllegalArgumentException("slo.ttft must be positive and finite, was " + ttftSeconds);
        }
        if (!(itlSeconds > 0) || Double.isInfinite(itlSeconds)) {
            throw new IllegalArgumentException("slo.itl must be positive and finite, was " + itlSeconds);
        }
    }

    public double target(Pool pool) {
        return pool == Pool.PREFILL ? ttftSeconds : itlSeconds;
    }
}
