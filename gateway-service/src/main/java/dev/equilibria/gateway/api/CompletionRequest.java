package dev.equilibria.gateway.api;

import dev.equilibria.routing.config.RouterConfig;
import java.util.List;

/**
 * A {@code POST /v1/completions} or {@code /v1/chat/completions} body whose fields have the right types and ranges;
 * model and length limits are checked later, against the live fleet.
 *
 * @param maxTokens      tokens to generate; {@link #TO_CONTEXT_END} for a chat without a limit (until the context
 *                       is full, as vLLM does)
 * @param includeUsage   {@code stream_options.include_usage}: end the stream with a usage chunk
 * @param stop           stop strings (up to 4); the output ends before the first one
 * @param stopTokenIds   {@code stop_token_ids} (vLLM's extension): token ids that end the output
 * @param routerOverride the body's {@code router_config_override}, validated; {@link RouterConfig#EMPTY} if none
 */
public record CompletionRequest(String model, Prompt prompt, int maxTokens, boolean stream, boolean includeUsage,
                                List<String> stop, int[] stopTokenIds, RouterConfig routerOverride) {

    public static final int TO_CONTEXT_END = 0;

    public CompletionRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds;
        routerOverride = routerOverride == null ? RouterConfig.EMPTY : routerOverride;
    }

    public CompletionRequest(String model, Prompt prompt, int maxTokens, boolean stream, boolean includeUsage) {
        this(model, prompt, maxTokens, stream, includeUsage, List.of(), new int[0], RouterConfig.EMPTY);
    }
}
