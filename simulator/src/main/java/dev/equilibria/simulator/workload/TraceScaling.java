package dev.equilibria.simulator.workload;

/**
 * How a trace is replayed: {@code speedup} divides every arrival time (2 = twice the rate, the same requests),
 * {@code maxInputTokens} caps prompt lengths (0 = no cap), {@code maxRequests} stops early.
 */
public record TraceScaling(double speedup, int maxInputTokens, int maxRequests) {

    public static final TraceScaling AS_RECORDED = new TraceScaling(1.0, 0, Integer.MAX_VALUE);

    public TraceScaling {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speedup must be positive, got " + speedup);
        }
        if (maxInputTokens < 0 || maxRequests < 1) {
            throw new IllegalArgumentException("max_input_tokens must be >= 0 and max_requests >= 1");
        }
    }

    public long scaleTimeNanos(long nanos) {
        return Math.round(nanos / speedup);
    }

    public int scaleInput(int tokens) {
        return maxInputTokens == 0 ? Math.max(1, tokens) : Math.max(1, Math.min(tokens, maxInputTokens));
    }

    public String describe() {
        return "speedup " + speedup + (maxInputTokens > 0 ? ", prompts capped at " + maxInputTokens : "");
    }
}
