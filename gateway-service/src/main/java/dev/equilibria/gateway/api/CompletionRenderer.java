package dev.equilibria.gateway.api;

import dev.equilibria.gateway.error.ApiErrors;
import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.metrics.RequestTracker;
import dev.equilibria.gateway.pipeline.Generation;
import dev.equilibria.gateway.tokenize.IncrementalDetokenizer;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.GeneratedToken;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Turns a generation's tokens into OpenAI completion objects: one whole answer, or a stream of chunks. */
@Component
public class CompletionRenderer {

    private static final Logger log = LoggerFactory.getLogger(CompletionRenderer.class);

    private final Tokenizer tokenizer;

    public CompletionRenderer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Waits for every token and answers with one {@code text_completion}. */
    public Mono<CompletionResponse> response(Generation generation, String model, int promptTokens, long created) {
        return generation.tokens().collectList().map(tokens -> {
            int[] ids = tokens.stream().mapToInt(GeneratedToken::tokenId).toArray();
            String finishReason = tokens.get(tokens.size() - 1).finishReason();
            return new CompletionResponse(generation.requestId(), CompletionResponse.OBJECT, created, model,
                    List.of(CompletionResponse.Choice.of(tokenizer.decode(ids), finishReason)),
                    CompletionResponse.Usage.of(promptTokens, ids.length));
        });
    }

    /**
     * The payloads of a stream: one chunk per token (the last with its finish reason), optionally a usage chunk,
     * then {@code [DONE]}. A failure after the stream started becomes an OpenAI error payload, which the official
     * clients raise as an error, followed by {@code [DONE]}.
     */
    public Flux<String> chunks(Generation generation, String model, int promptTokens, long created,
                               boolean includeUsage, RequestTracker tracker) {
        String id = generation.requestId();
        IncrementalDetokenizer detokenizer = tokenizer.detokenizer();
        AtomicInteger generated = new AtomicInteger();
        Flux<String> tokens = generation.tokens().map(token -> {
            generated.incrementAndGet();
            boolean last = token.finishReason() != null;
            String text = detokenizer.next(token.tokenId()) + (last ? detokenizer.flush() : "");
            return EventCodec.encode(new CompletionResponse(id, CompletionResponse.OBJECT, created, model,
                    List.of(CompletionResponse.Choice.of(text, token.finishReason())), null));
        });
        Mono<String> usage = Mono.fromSupplier(() -> EventCodec.encode(new CompletionResponse(id,
                CompletionResponse.OBJECT, created, model, List.of(),
                CompletionResponse.Usage.of(promptTokens, generated.get()))));
        return tokens.concatWith(includeUsage ? usage : Mono.empty())
                .doOnComplete(() -> tracker.succeeded(generated.get()))
                .onErrorResume(error -> {
                    ApiException api = ApiErrors.from(error);
                    tracker.failed(error);
                    if (ApiErrors.internal().code().equals(api.code())) {
                        log.error("stream {} failed after {} tokens", id, generated.get(), error);
                    } else {
                        log.warn("stream {} failed after {} tokens: {}", id, generated.get(), api.getMessage());
                    }
                    return Mono.just(EventCodec.encode(api.toBody()));
                })
                .concatWith(Mono.just(ResponseWriters.DONE))
                .doOnCancel(tracker::cancelled);
    }
}
