package dev.equilibria.gateway.api;

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

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Usage(int promptTokens, int completionTokens, int totalTokens) {

        public static Usage of(int promptTokens, int completionTokens) {
            return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
        }
    }
}
