package dev.equilibria.control.efficiency;

/**
 * One finished request's time to first token, with what its zero-load prediction needs.
 *
 * @param workerId      the prefill (or aggregated) worker that computed the prompt
 * @param cachedTokens  prompt tokens found in that worker's prefix cache
 */
public record TtftSample(String requestId, String workerId, long timestampMs, int promptTokens, int cachedTokens,
                         double observedTtftMs) {

    public TtftSample {
        if (promptTokens < 0 || cachedTokens < 0 || cachedTokens > promptTokens) {
            throw new IllegalArgumentException("need 0 <= cached_tokens <= prompt_tokens, got " + cachedTokens
                    + " of " + promptTokens);
        }
        if (!(observedTtftMs >= 0) || Double.isInfinite(observedTtftMs)) {
            throw new IllegalArgumentException("observed TTFT must be finite and not negative, got " + observedTtftMs);
        }
    }

    public int uncachedTokens() {
        return promptTokens - cachedTokens;
    }
}
