package dev.equilibria.gateway.pipeline;

import dev.equilibria.routing.policy.RouteRequest;

/**
 * A validated, tokenized request, ready to be placed on workers.
 *
 * @param promptTokenIds the prompt; not copied, callers must not change it afterwards
 * @param blockHashes    chained hashes of the prompt's full KV blocks
 * @param maxTokens      tokens to generate, at least 1
 */
public record GenerationRequest(String requestId, String model, int[] promptTokenIds, long[] blockHashes,
                                int maxTokens) {

    public RouteRequest routeRequest() {
        return new RouteRequest(requestId, model, promptTokenIds.length, blockHashes, maxTokens);
    }
}
