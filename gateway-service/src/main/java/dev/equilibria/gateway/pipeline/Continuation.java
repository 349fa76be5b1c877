package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.routing.orchestration.RouteRequest;
import java.util.Arrays;

/**
 * A request that lost its worker mid-generation, re-expressed so that any worker can pick it up: the prompt is the
 * original prompt with every token already sent to the client appended, the output budget is what is left of
 * {@code max_tokens}, and stop tokens stay. The new worker's output indexes count from 0 again, so
 * {@link #toOriginal(GeneratedToken)} shifts them back onto the client's stream: no position is repeated or skipped.
 *
 * @param original  the request as the client sent it
 * @param request   what the fleet runs now (its own worker request id, so the lost attempt can never collide)
 * @param sent      tokens the client already has, in order
 * @param migration 1 for the first migration of the request, 2 for the second, ...
 */
public record Continuation(GenerationRequest original, GenerationRequest request, int[] sent, int migration) {

    /** Separates a request id from the migration number in the id sent to workers. */
    public static final String ID_SUFFIX = "-m";

    /**
     * @param sent tokens already sent, fewer than {@code original.maxTokens()}
     * @throws IllegalArgumentException when nothing is left to generate
     */
    public static Continuation of(GenerationRequest original, int[] sent, int migration) {
        if (sent.length >= original.maxTokens()) {
            throw new IllegalArgumentException("request " + original.requestId() + " has all " + original.maxTokens()
                    + " tokens already; nothing to continue");
        }
        int[] prompt = Arrays.copyOf(original.promptTokenIds(), original.promptTokenIds().length + sent.length);
        System.arraycopy(sent, 0, prompt, original.promptTokenIds().length, sent.length);
        int remaining = original.maxTokens() - sent.length;
        String id = original.requestId() + ID_SUFFIX + migration;
        GenerationRequest request = new GenerationRequest(id, original.model(), prompt, remaining,
                original.stopTokenIds(), original.config(), new RouteRequest(id, original.model(), prompt, remaining));
        return new Continuation(original, request, sent.clone(), migration);
    }

    /** Position of the continuation's first token in the client's stream. */
    public int offset() {
        return sent.length;
    }

    /** A token of the continuation, placed in the client's stream. */
    public GeneratedToken toOriginal(GeneratedToken token) {
        return new GeneratedToken(original.requestId(), token.index() + offset(), token.tokenId(),
                token.finishReason());
    }
}
