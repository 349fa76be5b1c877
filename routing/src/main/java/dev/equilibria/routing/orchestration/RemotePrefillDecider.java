package dev.equilibria.routing.orchestration;

/**
 * Decode-first's question (Dynamo's disaggregated router): is the prompt's part the chosen decode worker does not
 * cache long enough to be worth a remote prefill and a KV transfer? Short remainders are prefilled where they will
 * be decoded.
 */
public final class RemotePrefillDecider {

    /** Default {@code remote_prefill_threshold} in tokens (Dynamo's {@code max_local_prefill_length} is 1000). */
    public static final int DEFAULT_REMOTE_PREFILL_THRESHOLD = 1024;

    private RemotePrefillDecider() {
    }

    /**
     * @param cachedTokens prompt tokens already cached on the decode worker
     * @return true for a remote prefill: the uncached part exceeds the threshold
     */
    public static boolean remotePrefill(int promptTokens, int cachedTokens, int thresholdTokens) {
        return promptTokens - Math.min(cachedTokens, promptTokens) > thresholdTokens;
    }
}
