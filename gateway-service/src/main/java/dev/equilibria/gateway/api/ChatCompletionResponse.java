package dev.equilibria.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** OpenAI's {@code chat.completion} object: the whole answer of a chat completion. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     CompletionResponse.Usage usage) {

    public static final String OBJECT = "chat.completion";

    /**
     * @param logprobs always null: log probabilities are not supported
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(int index, Message message, Object logprobs, String finishReason) {
    }

    /** The assistant's message; {@code refusal} is always null. */
    public record Message(String role, String content, String refusal) {

        public static Message assistant(String content) {
            return new Message("assistant", content, null);
        }
    }

    /**
     * OpenAI's {@code chat.completion.chunk}: one piece of a streamed chat answer. The first chunk's delta carries the
     * role, then each carries content, and the last one an empty delta with the finish reason; with
     * {@code include_usage} every chunk has {@code usage: null} and a final chunk with no choices carries it.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                        CompletionResponse.Usage usage) {

        public static final String OBJECT = "chat.completion.chunk";
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason) {
    }

    /** What a chunk adds to the message; absent fields are left out, as OpenAI does. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }
}
