package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ErrorCodes;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The top-level fields each API recognises. Anything else is refused with 400 {@code unknown_parameter}, as OpenAI
 * refuses an unrecognised argument: a misspelt option must not be silently ignored. Known options that only steer
 * sampling are accepted and ignored ({@link #IGNORED}), since the simulated workers do not sample from a real
 * distribution and ignoring them changes neither the response's shape nor its cost.
 */
final class RequestFields {

    /** Accepted and ignored on both APIs. */
    static final Set<String> IGNORED = Set.of("temperature", "top_p", "presence_penalty", "frequency_penalty",
            "logit_bias", "seed", "user", "top_k", "min_p", "repetition_penalty");

    /** Handled (honoured, or refused with a precise error when they ask for what is not supported). */
    private static final Set<String> COMPLETIONS_HANDLED = Set.of("model", "prompt", "max_tokens", "stream",
            "stream_options", "stop", "stop_token_ids", "n", "echo", "best_of", "suffix", "logprobs",
            RouterOverrideParser.BODY_FIELD);
    private static final Set<String> CHAT_HANDLED = Set.of("model", "messages", "max_tokens",
            "max_completion_tokens", "stream", "stream_options", "stop", "stop_token_ids", "n", "logprobs", "tools",
            "functions", "response_format", RouterOverrideParser.BODY_FIELD);
    /** Chat-only options ignored: bookkeeping (store, metadata, service_tier) and tool settings without tools. */
    private static final Set<String> CHAT_IGNORED = Set.of("top_logprobs", "store", "metadata", "service_tier",
            "tool_choice", "parallel_tool_calls", "function_call");

    static final Set<String> COMPLETIONS = union(COMPLETIONS_HANDLED, IGNORED);
    static final Set<String> CHAT = union(CHAT_HANDLED, IGNORED, CHAT_IGNORED);

    private RequestFields() {
    }

    static void checkKnown(JsonNode root, Set<String> known) {
        for (Iterator<String> names = root.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String shown = name.length() <= 64 ? name : name.substring(0, 64) + "...";
                throw invalidRequest(shown, ErrorCodes.UNKNOWN_PARAMETER,
                        "Unrecognized request argument supplied: " + shown);
            }
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        return Stream.of(sets).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    }
}
