package dev.equilibria.gateway.api;

/**
 * A {@code POST /v1/completions} body whose fields have the right types and ranges; model and length limits are
 * checked later, against the live fleet.
 *
 * @param includeUsage {@code stream_options.include_usage}: end the stream with a usage chunk
 */
public record CompletionRequest(String model, Prompt prompt, int maxTokens, boolean stream, boolean includeUsage) {
}
