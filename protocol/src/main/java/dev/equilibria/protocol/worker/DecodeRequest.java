package dev.equilibria.protocol.worker;

/**
 * Gateway to decode worker: continue a prefilled request.
 *
 * @param generatedTokenIds tokens already produced (at least the first one from prefill)
 * @param maxTokens         total tokens to produce, the already generated ones included
 * @param stopTokenIds      tokens that end generation early
 */
public record DecodeRequest(String requestId, int[] promptTokenIds, int[] generatedTokenIds, int maxTokens,
                            int[] stopTokenIds, KvHandoff handoff) {
}
