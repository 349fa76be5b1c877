package dev.equilibria.gateway.api;

import dev.equilibria.gateway.admission.AdmissionGate;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.RequestTracker;
import dev.equilibria.gateway.pipeline.CompletionPipeline;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.routing.config.RouterConfig;
import java.time.InstantSource;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * One completion request from body to last byte, for both APIs: parse, resolve router overrides, prepare, pass
 * admission, run the pipeline, render. Errors before the first byte are plain HTTP errors (see the error package);
 * in a stream, later ones arrive as an error event. A client that goes away cancels everything downstream: its
 * place in the admission queue, the worker calls (the workers cancel the sequence), and its ledger load.
 */
@Component
public class CompletionHandler {

    private final CompletionRequestParser parser;
    private final RouterOverrideParser overrides;
    private final CompletionPreparer preparer;
    private final AdmissionGate admission;
    private final CompletionPipeline pipeline;
    private final CompletionRenderer renderer;
    private final GatewayMetrics metrics;
    private final InstantSource clock;

    public CompletionHandler(CompletionRequestParser parser, RouterOverrideParser overrides,
                             CompletionPreparer preparer, AdmissionGate admission, CompletionPipeline pipeline,
                             CompletionRenderer renderer, GatewayMetrics metrics, InstantSource clock) {
        this.parser = parser;
        this.overrides = overrides;
        this.preparer = preparer;
        this.admission = admission;
        this.pipeline = pipeline;
        this.renderer = renderer;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Mono<Void> handle(String body, HttpHeaders headers, ServerHttpResponse response, OutputFormat format) {
        RequestTracker tracker = metrics.startRequest();
        Function<String, CompletionRequest> parse = format == OutputFormat.CHAT ? parser::parseChat : parser::parse;
        return Mono.defer(() -> {
                    CompletionRequest request = parse.apply(body);
                    RouterConfig headerLayer = overrides.fromHeaders(headers);
                    String id = format.idPrefix() + UUID.randomUUID().toString().replace("-", "");
                    tracker.requestId(id);
                    GenerationRequest prepared = preparer.prepare(request, id, headerLayer);
                    tracker.promptTokens(prepared.promptTokenIds().length);
                    long created = clock.instant().getEpochSecond();
                    return admission.admit(prepared.model()).flatMap(dispatched -> pipeline.start(prepared,
                                    dispatched)
                            .doFinally(signal -> dispatched.run())
                            .flatMap(generation -> {
                                tracker.workers(generation.prefillWorker(), generation.decodeWorker());
                                tracker.cachedTokens(generation.cachedTokens());
                                return request.stream()
                                        ? ResponseWriters.eventStream(response, renderer.chunks(generation, prepared,
                                        request, format, created, tracker))
                                        : renderer.response(generation, prepared, request, format, created, tracker)
                                        .flatMap(answer -> ResponseWriters.json(response, answer));
                            }));
                })
                .doOnError(tracker::failed)
                .doOnCancel(tracker::cancelled)
                .doFinally(signal -> admission.poll());
    }
}
