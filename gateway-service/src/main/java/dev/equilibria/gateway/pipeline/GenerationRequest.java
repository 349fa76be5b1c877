package dev.equilibria.gateway.pipeline;

import dev.equilibria.routing.config.ResolvedRouterConfig;
import dev.equilibria.routing.orchestration.RouteRequest;

/**
 * A validated, tokenized request, ready to be placed on workers.
 *
 * @param promptTokenIds the prompt; not copied, callers must not change it afterwards
 * @param route          the router's view of the request (its block hashes, computed on demand)
 * @param maxTokens      tokens to generate, at least 1
 * @param stopTokenIds   token ids that end generation (finish reason {@code stop}); may be empty
 * @param config         the router configuration this request is routed with (live config plus its overrides)
 */
public record GenerationRequest(String requestId, String model, int[] promptTokenIds, int maxTokens,
                                int[] stopTokenIds, ResolvedRouterConfig config, RouteRequest route) {

    public GenerationRequest {
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds;
    }

    public boolean isStopToken(int tokenId) {
        for (int stop : stopTokenIds) {
            if (stop == tokenId) {
                return true;
            }
        }
        return false;
    }
}
