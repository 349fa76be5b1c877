package dev.equilibria.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * OpenAI's {@code text_completion} object: the whole answer, or one chunk of a stream (then {@code usage} is null,
 * except in the optional final usage chunk, whose {@code choices} is empty).
 *
 * @param created Unix time in seconds
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                 Usage usage) {

    public static final String OBJECT = "text_completion";

    /**
     * @param logprobs     always null: log probabilities are not supported
     * @param finishReason {@code length} or {@code stop} on the last piece of output, else null
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(String text, int index, Object logprobs, String finishReason) {

        public static Choice of(String text, String finishReason) {
            return new Choice(text, 0, null, finishReason);
        }
    }

    /**
     * Token counts, with OpenAI's {@code prompt_tokens_details.cached_tokens}: prompt tokens the prefilling worker
     * found in its prefix cache (left out when unknown).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Usage(int promptTokens, int completionTokens, int totalTokens, PromptTokensDetails promptTokensDetails) {

        public static Usage of(int promptTokens, int completionTokens) {
            return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, null);
        }

        public static Usage of(int promptTokens, int completionTokens, int cachedTokens) {
            return new Usage(promptTokens, completionTokens, promptTokens + completionTokens,
                    cachedTokens < 0 ? null : new PromptTokensDetails(cachedTokens));
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PromptTokensDetails(int cachedTokens) {
    }
}
