package dev.equilibria.gateway.api;

import java.util.List;

/** How generated text is framed for the client: legacy completions or chat completions, whole or streamed. */
public interface OutputFormat {

    /** Prefix of response ids, as OpenAI's: {@code cmpl-} or {@code chatcmpl-}. */
    String idPrefix();

    /** The whole answer. */
    Object whole(String id, long created, String model, String text, String finishReason,
                 CompletionResponse.Usage usage);

    /** Chunks sent before the first text. */
    List<Object> opening(String id, long created, String model, boolean includeUsage);

    /** A chunk of text; {@code finishReason} is set on the last piece of output only. */
    Object piece(String id, long created, String model, String text, String finishReason, boolean includeUsage);

    /** Chunks after the last piece. */
    List<Object> closing(String id, long created, String model, String finishReason, boolean includeUsage);

    /** The final usage chunk of {@code stream_options.include_usage}. */
    Object usage(String id, long created, String model, CompletionResponse.Usage usage);

    /** {@code text_completion}: one chunk per piece, the last carrying the finish reason. */
    OutputFormat COMPLETION = new OutputFormat() {
        @Override
        public String idPrefix() {
            return "cmpl-";
        }

        @Override
        public Object whole(String id, long created, String model, String text, String finishReason,
                            CompletionResponse.Usage usage) {
            return new CompletionResponse(id, CompletionResponse.OBJECT, created, model,
                    List.of(CompletionResponse.Choice.of(text, finishReason)), usage);
        }

        @Override
        public List<Object> opening(String id, long created, String model, boolean includeUsage) {
            return List.of();
        }

        @Override
        public Object piece(String id, long created, String model, String text, String finishReason,
                            boolean includeUsage) {
            return new CompletionResponse(id, CompletionResponse.OBJECT, created, model,
                    List.of(CompletionResponse.Choice.of(text, finishReason)), null);
        }

        @Override
        public List<Object> closing(String id, long created, String model, String finishReason,
                                    boolean includeUsage) {
            return List.of();
        }

        @Override
        public Object usage(String id, long created, String model, CompletionResponse.Usage usage) {
            return new CompletionResponse(id, CompletionResponse.OBJECT, created, model, List.of(), usage);
        }
    };

    /** {@code chat.completion} / {@code chat.completion.chunk}: role first, content deltas, then the finish. */
    OutputFormat CHAT = new OutputFormat() {
        @Override
        public String idPrefix() {
            return "chatcmpl-";
        }

        @Override
        public Object whole(String id, long created, String model, String text, String finishReason,
                            CompletionResponse.Usage usage) {
            return new ChatCompletionResponse(id, ChatCompletionResponse.OBJECT, created, model,
                    List.of(new ChatCompletionResponse.Choice(0, ChatCompletionResponse.Message.assistant(text), null,
                            finishReason)), usage);
        }

        @Override
        public List<Object> opening(String id, long created, String model, boolean includeUsage) {
            return List.of(chunk(id, created, model, new ChatCompletionResponse.Delta("assistant", ""), null));
        }

        @Override
        public Object piece(String id, long created, String model, String text, String finishReason,
                            boolean includeUsage) {
            return chunk(id, created, model, new ChatCompletionResponse.Delta(null, text), null);
        }

        @Override
        public List<Object> closing(String id, long created, String model, String finishReason,
                                    boolean includeUsage) {
            return List.of(chunk(id, created, model, new ChatCompletionResponse.Delta(null, null), finishReason));
        }

        @Override
        public Object usage(String id, long created, String model, CompletionResponse.Usage usage) {
            return new ChatCompletionResponse.Chunk(id, ChatCompletionResponse.Chunk.OBJECT, created, model,
                    List.of(), usage);
        }

        private Object chunk(String id, long created, String model, ChatCompletionResponse.Delta delta,
                             String finishReason) {
            return new ChatCompletionResponse.Chunk(id, ChatCompletionResponse.Chunk.OBJECT, created, model,
                    List.of(new ChatCompletionResponse.ChunkChoice(0, delta, null, finishReason)), null);
        }
    };
}
