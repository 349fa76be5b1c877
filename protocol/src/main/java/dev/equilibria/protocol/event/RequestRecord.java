package dev.equilibria.protocol.event;

/**
 * How one request went, published by the gateway when it ends: the monitor's source for TTFT inflation and the
 * allocator's for demand. Latencies are as the client saw them.
 *
 * @param outcome      {@code success}, or the error code the client got
 * @param cachedTokens prompt tokens found in the prefill worker's prefix cache
 * @param ttftMs       time to first token; NaN when no token was produced
 * @param meanItlMs    mean inter-token latency over the output; NaN with fewer than two tokens
 */
public record RequestRecord(int version, String requestId, String gatewayId, long arrivalMs, String outcome,
                            String prefillWorker, String decodeWorker, int promptTokens, int cachedTokens,
                            int outputTokens, double ttftMs, double meanItlMs, double e2eMs) implements VersionedEvent {

    public RequestRecord(String requestId, String gatewayId, long arrivalMs, String outcome, String prefillWorker,
                         String decodeWorker, int promptTokens, int cachedTokens, int outputTokens, double ttftMs,
                         double meanItlMs, double e2eMs) {
        this(CURRENT_VERSION, requestId, gatewayId, arrivalMs, outcome, prefillWorker, decodeWorker, promptTokens,
                cachedTokens, outputTokens, ttftMs, meanItlMs, e2eMs);
    }
}
