package dev.equilibria.protocol.worker;

/** Gateway to prefill worker: compute the KV cache of a prompt and the first output token. */
public record PrefillRequest(String requestId, int[] promptTokenIds, int maxTokens) {
}
