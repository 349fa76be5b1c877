package dev.equilibria.gateway.api;

import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.RequestTracker;
import dev.equilibria.gateway.pipeline.CompletionPipeline;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import java.time.InstantSource;
import java.util.UUID;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * OpenAI's {@code POST /v1/completions}. The body is read as text and parsed here, so malformed JSON and wrong types
 * get precise 400s. Errors before the first token are plain HTTP errors (see the error package); in a stream,
 * later ones arrive as an error event.
 */
@RestController
public class CompletionsController {

    public static final String PATH = "/v1/completions";
    static final String ID_PREFIX = "cmpl-";

    private final CompletionRequestParser parser;
    private final CompletionPreparer preparer;
    private final CompletionPipeline pipeline;
    private final CompletionRenderer renderer;
    private final GatewayMetrics metrics;
    private final InstantSource clock;

    public CompletionsController(CompletionRequestParser parser, CompletionPreparer preparer,
                                 CompletionPipeline pipeline, CompletionRenderer renderer, GatewayMetrics metrics,
                                 InstantSource clock) {
        this.parser = parser;
        this.preparer = preparer;
        this.pipeline = pipeline;
        this.renderer = renderer;
        this.metrics = metrics;
        this.clock = clock;
    }

    @PostMapping(PATH)
    public Mono<Void> complete(@RequestBody(required = false) String body, ServerHttpResponse response) {
        RequestTracker tracker = metrics.startRequest();
        return Mono.defer(() -> {
                    CompletionRequest request = parser.parse(body);
                    String id = ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
                    GenerationRequest prepared = preparer.prepare(request, id);
                    int promptTokens = prepared.promptTokenIds().length;
                    tracker.promptTokens(promptTokens);
                    long created = clock.instant().getEpochSecond();
                    return pipeline.start(prepared).flatMap(generation -> request.stream()
                            ? ResponseWriters.eventStream(response, renderer.chunks(generation, prepared.model(),
                            promptTokens, created, request.includeUsage(), tracker))
                            : renderer.response(generation, prepared.model(), promptTokens, created)
                            .doOnNext(answer -> tracker.succeeded(answer.usage().completionTokens()))
                            .flatMap(answer -> ResponseWriters.json(response, answer)));
                })
                .doOnError(tracker::failed)
                .doOnCancel(tracker::cancelled);
    }
}
