package dev.equilibria.routing.policy;

/**
 * What a selector may know about the request it places.
 *
 * @param promptTokens number of prompt tokens
 * @param blockHashes  chained hashes of the prompt's full KV blocks (see {@code BlockHasher}), for cache-aware
 *                     policies; not copied, callers must not change the array afterwards
 * @param maxTokens    tokens the request may generate
 */
public record RouteRequest(String requestId, String model, int promptTokens, long[] blockHashes, int maxTokens) {
}
