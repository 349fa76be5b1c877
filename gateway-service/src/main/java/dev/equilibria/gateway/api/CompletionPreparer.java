package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.routing.config.ResolvedRouterConfig;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.orchestration.RouteRequest;
import dev.equilibria.routing.registry.ServedModel;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks a parsed request against the live fleet and makes it ready for the pipeline: renders a chat through the
 * chat template, tokenizes, checks that a live worker serves the model and that prompt plus {@code max_tokens} fit
 * its context, and resolves the router configuration the request is routed with (live configuration, then its
 * headers, then its body override). Tokenization is timed; block hashing happens in the router, on demand.
 */
@Component
public class CompletionPreparer {

    private final Tokenizer tokenizer;
    private final WorkerRegistry registry;
    private final RouterConfigStore config;
    private final RoutingMetrics metrics;
    private final int maxPromptTokens;

    public CompletionPreparer(Tokenizer tokenizer, WorkerRegistry registry, RouterConfigStore config,
                              RoutingMetrics metrics) {
        this(tokenizer, registry, config, metrics, GatewayProperties.Limits.DEFAULT_MAX_PROMPT_TOKENS);
    }

    @Autowired
    public CompletionPreparer(Tokenizer tokenizer, WorkerRegistry registry, RouterConfigStore config,
                              RoutingMetrics metrics, GatewayProperties properties) {
        this(tokenizer, registry, config, metrics, properties.limits().maxPromptTokens());
    }

    /**
     * @param maxPromptTokens longest prompt accepted whatever the model ({@code limits.max-prompt-tokens})
     */
    public CompletionPreparer(Tokenizer tokenizer, WorkerRegistry registry, RouterConfigStore config,
                              RoutingMetrics metrics, int maxPromptTokens) {
        this.tokenizer = tokenizer;
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        this.maxPromptTokens = maxPromptTokens;
    }

    public GenerationRequest prepare(CompletionRequest request, String requestId) {
        return prepare(request, requestId, RouterConfig.EMPTY);
    }

    /**
     * @param headerOverride the request's {@code x-router-*} layer, already validated
     */
    public GenerationRequest prepare(CompletionRequest request, String requestId, RouterConfig headerOverride) {
        long start = System.nanoTime();
        int[] prompt = tokens(request.prompt());
        long tokenized = System.nanoTime();
        if (!(request.prompt() instanceof Prompt.TokenIds)) {
            metrics.phase(RoutingMetrics.Phase.TOKENIZE, tokenized - start);
        }
        if (prompt.length == 0) {
            throw invalidRequest(request.prompt() instanceof Prompt.Chat ? "messages" : "prompt",
                    ErrorCodes.INVALID_VALUE, "prompt must contain at least one token");
        }
        if (prompt.length > maxPromptTokens) {
            throw invalidRequest(request.prompt() instanceof Prompt.Chat ? "messages" : "prompt",
                    ErrorCodes.PROMPT_TOO_LONG, "the prompt has " + prompt.length + " tokens; this gateway accepts"
                    + " at most " + maxPromptTokens);
        }
        ServedModel model = servedModel(request.model());
        int maxTokens = request.maxTokens() == CompletionRequest.TO_CONTEXT_END
                ? Math.max(1, model.maxModelLen() - prompt.length) : request.maxTokens();
        checkContextLength(model, prompt.length, maxTokens);
        ResolvedRouterConfig resolved = config.resolve(headerOverride, request.routerOverride());
        // block hashes are computed by the router as far as its lookups read them (timed as the hash phase)
        RouteRequest route = new RouteRequest(requestId, model.name(), prompt, maxTokens);
        return new GenerationRequest(requestId, model.name(), prompt, maxTokens, request.stopTokenIds(), resolved,
                route);
    }

    private int[] tokens(Prompt prompt) {
        if (prompt instanceof Prompt.TokenIds ids) {
            return ids.ids();
        }
        if (prompt instanceof Prompt.Chat chat) {
            return tokenizer.encode(ChatTemplate.render(chat.messages()));
        }
        return tokenizer.encode(((Prompt.Text) prompt).text());
    }

    private ServedModel servedModel(String name) {
        List<ServedModel> models = registry.models();
        if (models.isEmpty()) {
            // with no worker at all the model cannot be judged, and waiting for workers is the client's fix
            throw ApiException.unavailable(ErrorCodes.NO_WORKERS, "no workers are available: the gateway has had no"
                    + " heartbeat from any worker in the last " + registry.heartbeatTtl().toMillis() + " ms;"
                    + " retry once workers are up");
        }
        return models.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> invalidRequest("model", ErrorCodes.MODEL_NOT_FOUND, "the model '" + name
                        + "' does not exist or no live worker serves it; available models: "
                        + models.stream().map(ServedModel::name).collect(Collectors.joining(", "))));
    }

    private static void checkContextLength(ServedModel model, int promptTokens, int maxTokens) {
        int limit = model.maxModelLen();
        if (promptTokens >= limit) {
            throw invalidRequest("prompt", ErrorCodes.CONTEXT_LENGTH_EXCEEDED, "this model's maximum context length"
                    + " is " + limit + " tokens, however the prompt has " + promptTokens + " tokens, which leaves no"
                    + " room for a completion; shorten the prompt");
        }
        if ((long) promptTokens + maxTokens > limit) {
            throw invalidRequest("max_tokens", ErrorCodes.CONTEXT_LENGTH_EXCEEDED, "this model's maximum context"
                    + " length is " + limit + " tokens, however " + ((long) promptTokens + maxTokens) + " tokens were"
                    + " requested (" + promptTokens + " in the prompt, " + maxTokens + " for the completion);"
                    + " reduce max_tokens to at most " + (limit - promptTokens));
        }
    }
}
