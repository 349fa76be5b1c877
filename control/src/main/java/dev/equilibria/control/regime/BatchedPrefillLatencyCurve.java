package dev.equilibria.control.regime;

import dev.equilibria.control.efficiency.PrefillTime;

/**
 * TTFT P99 of a batching prefill worker from its engine profile. Under load a step carries every token that arrived
 * during the previous step, so the step size {@code n} solves {@code n = u * B * t(n) / t(B)} (at least one prompt,
 * at most {@code B = max_num_batched_tokens}; {@code t(B) / B} is the per-token time at capacity), and a request's
 * service time is that step's time. The queueing model then inflates it:
 *
 * <pre>
 * ttft(u) = t(n(u)) * inflation(u)
 * </pre>
 *
 * <p>This is why TTFT grows with load long before the knee: steps get longer as batches fill, with no queueing
 * at all. A threshold set at a plain multiple of {@code t(prompt)} is crossed there.
 *
 * @param promptTokens uncached tokens of a typical prompt
 */
public record BatchedPrefillLatencyCurve(PrefillTime prefillTime, int maxNumBatchedTokens, int promptTokens,
                                         QueueingModel model) implements LatencyCurve {

    public BatchedPrefillLatencyCurve {
        if (prefillTime == null || model == null) {
            throw new IllegalArgumentException("prefill time and queueing model must be given");
        }
        if (maxNumBatchedTokens <= 0) {
            throw new IllegalArgumentException("max_num_batched_tokens must be positive");
        }
        if (promptTokens <= 0 || promptTokens > maxNumBatchedTokens) {
            throw new IllegalArgumentException("prompt tokens must be in [1, max_num_batched_tokens], got "
                    + promptTokens);
        }
    }

    /** Tokens in a prefill step at utilisation {@code u}. */
    public double stepTokens(double utilisation) {
        QueueingModel.check(utilisation);
        double perTokenAtCapacity = prefillTime.millis(maxNumBatchedTokens, 0) / maxNumBatchedTokens;
        // The map n -> u * t(n) / per_token is increasing, so whole-token iteration from one prompt climbs
        // monotonically to the smallest fixed point (the one the fleet reaches as load ramps up) within B steps.
        long n = promptTokens;
        for (int i = 0; i <= maxNumBatchedTokens; i++) {
            long next = Math.min(maxNumBatchedTokens,
                    Math.max(promptTokens, Math.round(utilisation * prefillTime.millis(n, 0) / perTokenAtCapacity)));
            if (next == n) {
                break;
            }
            n = next;
        }
        return n;
    }

    @Override
    public double ttftP99Ms(double utilisation) {
        double step = prefillTime.millis(Math.round(stepTokens(utilisation)), 0);
        return step * model.p99Inflation(utilisation);
    }
}
