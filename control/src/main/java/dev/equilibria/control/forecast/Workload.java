package dev.equilibria.control.forecast;

/**
 * The demand the pools must serve, as the pool models read it.
 *
 * @param arrivalRate      requests per second
 * @param meanInputTokens  mean prompt length, cached prefix included
 * @param p90InputTokens   90th percentile prompt length, for reports and headroom
 * @param meanOutputTokens mean generated tokens per request, the first one (sampled by the prefill worker) included
 * @param prefixHitRate    cached prompt tokens over all prompt tokens, in [0, 1]
 */
public record Workload(double arrivalRate, double meanInputTokens, double p90InputTokens, double meanOutputTokens,
                       double prefixHitRate) {

    public Workload {
        requireNonNegative(arrivalRate, "arrival_rate");
        requireNonNegative(meanInputTokens, "mean_input_tokens");
        requireNonNegative(p90InputTokens, "p90_input_tokens");
        requireNonNegative(meanOutputTokens, "mean_output_tokens");
        if (!(prefixHitRate >= 0 && prefixHitRate <= 1)) {
            throw new IllegalArgumentException("prefix_hit_rate must be in [0, 1], was " + prefixHitRate);
        }
    }

    /** Prompt tokens a prefill worker still has to compute per request. */
    public double uncachedInputTokens() {
        return meanInputTokens * (1 - prefixHitRate);
    }

    public Workload withArrivalRate(double rate) {
        return new Workload(rate, meanInputTokens, p90InputTokens, meanOutputTokens, prefixHitRate);
    }

    private static void requireNonNegative(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and non-negative, was " + value);
        }
    }
}
