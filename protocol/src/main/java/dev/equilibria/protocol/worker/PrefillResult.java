package dev.equilibria.protocol.worker;

/**
 * Prefill worker to gateway: the prompt is prefilled.
 *
 * @param cachedTokens  prompt tokens found in the worker's prefix cache
 * @param firstTokenId  the first generated token, sampled at the end of prefill
 * @param prefillMillis model time the prefill took, queueing included
 */
public record PrefillResult(String requestId, String workerId, int promptTokens, int cachedTokens, int firstTokenId,
                            KvHandoff handoff, double prefillMillis) {
}
