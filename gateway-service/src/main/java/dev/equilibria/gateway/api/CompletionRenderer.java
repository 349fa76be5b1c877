package dev.equilibria.gateway.api;

import dev.equilibria.gateway.error.ApiErrors;
import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.metrics.RequestTracker;
import dev.equilibria.gateway.pipeline.Generation;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.gateway.tokenize.IncrementalDetokenizer;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.GeneratedToken;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a generation's tokens into OpenAI objects, whole or as a stream of chunks: decodes text incrementally,
 * applies stop strings (the output ends before the first one, and the generation upstream is cancelled so the worker
 * stops too) and stop token ids (their text is left out), and reports every token to the request's tracker.
 */
@Component
public class CompletionRenderer {

    private static final Logger log = LoggerFactory.getLogger(CompletionRenderer.class);

    private final Tokenizer tokenizer;

    public CompletionRenderer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** One piece of output text; {@code finishReason} set on the last. */
    record Piece(String text, String finishReason) {
    }

    /** Waits for the whole output and answers with one object. */
    public Mono<Object> response(Generation generation, GenerationRequest request, CompletionRequest client,
                                 OutputFormat format, long created, RequestTracker tracker) {
        AtomicInteger generated = new AtomicInteger();
        return pieces(generation.tokens(), request, client.stop(), generated, tracker).collectList().map(pieces -> {
            StringBuilder text = new StringBuilder();
            pieces.forEach(p -> text.append(p.text()));
            String finish = pieces.get(pieces.size() - 1).finishReason();
            tracker.succeeded(generated.get());
            return format.whole(generation.requestId(), created, request.model(), text.toString(), finish,
                    CompletionResponse.Usage.of(request.promptTokenIds().length, generated.get(),
                            generation.cachedTokens()));
        });
    }

    /**
     * The payloads of a stream: the format's opening chunks, the pieces, its closing chunks, optionally a usage chunk,
     * then {@code [DONE]}. A failure after the stream started becomes an OpenAI error payload, which the official
     * clients raise as an error, followed by {@code [DONE]}.
     */
    public Flux<String> chunks(Generation generation, GenerationRequest request, CompletionRequest client,
                               OutputFormat format, long created, RequestTracker tracker) {
        String id = generation.requestId();
        String model = request.model();
        boolean includeUsage = client.includeUsage();
        AtomicInteger generated = new AtomicInteger();
        AtomicReference<String> finish = new AtomicReference<>();
        Flux<Object> body = pieces(generation.tokens(), request, client.stop(), generated, tracker)
                .map(piece -> {
                    finish.set(piece.finishReason());
                    return format.piece(id, created, model, piece.text(), piece.finishReason(), includeUsage);
                });
        Flux<Object> closing = Flux.defer(() -> Flux.fromIterable(format.closing(id, created, model, finish.get(),
                includeUsage)));
        Mono<Object> usage = Mono.fromSupplier(() -> format.usage(id, created, model,
                CompletionResponse.Usage.of(request.promptTokenIds().length, generated.get(),
                        generation.cachedTokens())));
        return Flux.fromIterable(format.opening(id, created, model, includeUsage))
                .concatWith(body)
                .concatWith(closing)
                .concatWith(includeUsage ? usage : Mono.empty())
                .map(EventCodec::encode)
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

    /**
     * Text pieces of the output. Without stop strings there is one piece per token (possibly empty while a
     * multi-byte character is incomplete); with them, text that might begin a stop string is held back, and the
     * output ends at the first stop string with finish reason {@code stop}, cancelling the tokens upstream.
     */
    Flux<Piece> pieces(Flux<GeneratedToken> tokens, GenerationRequest request, List<String> stops,
                       AtomicInteger generated, RequestTracker tracker) {
        return Flux.defer(() -> {
            IncrementalDetokenizer detokenizer = tokenizer.detokenizer();
            StopMatcher matcher = stops.isEmpty() ? null : new StopMatcher(stops);
            return tokens.<Piece>handle((token, sink) -> {
                        generated.incrementAndGet();
                        tracker.token();
                        String finish = token.finishReason();
                        boolean last = finish != null;
                        boolean stopToken = GeneratedToken.FINISH_STOP.equals(finish)
                                && request.isStopToken(token.tokenId());
                        String text = (stopToken ? "" : detokenizer.next(token.tokenId()))
                                + (last ? detokenizer.flush() : "");
                        if (matcher == null) {
                            sink.next(new Piece(text, finish));
                            return;
                        }
                        StopMatcher.Step step = matcher.feed(text);
                        if (step.stopped()) {
                            sink.next(new Piece(step.emit(), GeneratedToken.FINISH_STOP));
                        } else if (last) {
                            sink.next(new Piece(step.emit() + matcher.flush(), finish));
                        } else if (!step.emit().isEmpty()) {
                            sink.next(new Piece(step.emit(), null));
                        }
                    })
                    .takeUntil(piece -> piece.finishReason() != null);
        });
    }
}
