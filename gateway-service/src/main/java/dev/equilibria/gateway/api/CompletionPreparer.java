package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.registry.ServedModel;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Checks a parsed request against the live fleet and makes it ready for the pipeline: tokenizes the prompt, checks
 * that a live worker serves the model and that prompt plus {@code max_tokens} fit its context, and hashes the
 * prompt's KV blocks for routing.
 */
@Component
public class CompletionPreparer {

    private final Tokenizer tokenizer;
    private final WorkerRegistry registry;
    private final BlockHasher hasher;

    public CompletionPreparer(Tokenizer tokenizer, WorkerRegistry registry, BlockHasher hasher) {
        this.tokenizer = tokenizer;
        this.registry = registry;
        this.hasher = hasher;
    }

    public GenerationRequest prepare(CompletionRequest request, String requestId) {
        int[] prompt = tokens(request.prompt());
        if (prompt.length == 0) {
            throw invalidRequest("prompt", ErrorCodes.INVALID_VALUE, "prompt must contain at least one token");
        }
        ServedModel model = servedModel(request.model());
        checkContextLength(model, prompt.length, request.maxTokens());
        return new GenerationRequest(requestId, model.name(), prompt, hasher.hash(prompt), request.maxTokens());
    }

    private int[] tokens(Prompt prompt) {
        if (prompt instanceof Prompt.Text text) {
            return tokenizer.encode(text.text());
        }
        return ((Prompt.TokenIds) prompt).ids();
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
