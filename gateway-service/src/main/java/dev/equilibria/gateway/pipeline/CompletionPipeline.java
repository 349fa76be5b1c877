package dev.equilibria.gateway.pipeline;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import dev.equilibria.routing.registry.LiveWorker;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a request across the disaggregated fleet: place both legs, prefill on the prefill worker, then stream the
 * rest from the decode worker, which continues from the prefill's KV handoff. Both legs are placed before prefill
 * starts, so a request that cannot be decoded fails at once instead of after a wasted prefill. A leg refused by its
 * worker (gone, draining, switched role, overloaded) moves to another worker of the pool, as long as the client
 * has seen no output of that leg.
 */
@Component
public class CompletionPipeline {

    /** Workers tried per leg before the refusal reaches the client. */
    public static final int MAX_ATTEMPTS_PER_LEG = 3;

    private static final int[] NO_STOP_TOKENS = new int[0];

    private final WorkerPicker picker;
    private final WorkerClient workers;
    private final GatewayMetrics metrics;
    private final Duration requestTimeout;

    public CompletionPipeline(WorkerPicker picker, WorkerClient workers, GatewayMetrics metrics,
                              GatewayProperties properties) {
        this.picker = picker;
        this.workers = workers;
        this.metrics = metrics;
        this.requestTimeout = properties.requestTimeout();
    }

    /**
     * Completes once prefill is done; fails before any output with {@link NoWorkerAvailableException},
     * {@link WorkerCallException} or a timeout. Failures later surface in {@link Generation#tokens()}.
     */
    public Mono<Generation> start(GenerationRequest request) {
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + requestTimeout.toNanos();
            LiveWorker prefillWorker = picker.pick(WorkerRole.PREFILL, request, Set.of());
            LiveWorker decodeWorker = request.maxTokens() > 1
                    ? picker.pick(WorkerRole.DECODE, request, Set.of()) : null;
            Timer.Sample ttft = metrics.startTtft();
            PrefillRequest prefill = new PrefillRequest(request.requestId(), request.promptTokenIds(),
                    request.maxTokens());
            return prefill(request, prefill, prefillWorker, new HashSet<>())
                    .timeout(remaining(deadline))
                    .doOnNext(done -> metrics.firstToken(ttft))
                    .map(done -> new Generation(request.requestId(), done.worker(), decodeWorker,
                            tokens(request, done.result(), decodeWorker, deadline)));
        });
    }

    private Mono<Prefilled> prefill(GenerationRequest request, PrefillRequest call, LiveWorker worker,
                                    Set<String> tried) {
        metrics.legPlaced(WorkerRole.PREFILL, worker.workerId());
        return workers.prefill(worker, call)
                .map(result -> new Prefilled(worker, result))
                .onErrorResume(error -> retryable(error, tried), error -> {
                    tried.add(worker.workerId());
                    return picker.tryPick(WorkerRole.PREFILL, request, tried)
                            .map(next -> {
                                metrics.legRetried(WorkerRole.PREFILL);
                                return prefill(request, call, next, tried);
                            })
                            .orElseGet(() -> Mono.error(error));
                });
    }

    private Flux<GeneratedToken> tokens(GenerationRequest request, PrefillResult prefill, LiveWorker decodeWorker,
                                        long deadline) {
        boolean onlyToken = decodeWorker == null;
        GeneratedToken first = new GeneratedToken(request.requestId(), 0, prefill.firstTokenId(),
                onlyToken ? GeneratedToken.FINISH_LENGTH : null);
        if (onlyToken) {
            return Flux.just(first);
        }
        int[] generated = {prefill.firstTokenId()};
        DecodeRequest call = new DecodeRequest(request.requestId(), request.promptTokenIds(), generated,
                request.maxTokens(), NO_STOP_TOKENS, prefill.handoff());
        Mono<Long> deadlinePassed = Mono.defer(() -> Mono.delay(remaining(deadline)));
        Flux<GeneratedToken> rest = decode(request, call, decodeWorker, new HashSet<>())
                .timeout(deadlinePassed, token -> deadlinePassed);
        return Flux.concat(Mono.just(first), rest);
    }

    private Flux<GeneratedToken> decode(GenerationRequest request, DecodeRequest call, LiveWorker worker,
                                        Set<String> tried) {
        return Flux.defer(() -> {
            metrics.legPlaced(WorkerRole.DECODE, worker.workerId());
            boolean[] streaming = {false};
            Flux<GeneratedToken> stream = DecodeStreamCheck.checked(workers.decode(worker, call), worker.workerId(),
                    call.generatedTokenIds().length, call.maxTokens());
            return stream
                    .doOnNext(token -> streaming[0] = true)
                    // once tokens reached the client, another worker cannot take over without repeating them
                    .onErrorResume(error -> !streaming[0] && retryable(error, tried), error -> {
                        tried.add(worker.workerId());
                        return picker.tryPick(WorkerRole.DECODE, request, tried)
                                .map(next -> {
                                    metrics.legRetried(WorkerRole.DECODE);
                                    return decode(request, call, next, tried);
                                })
                                .orElseGet(() -> Flux.error(error));
                    });
        });
    }

    /** A refusal another worker may not share: the worker is gone, draining, switched role or overloaded. */
    private static boolean retryable(Throwable error, Set<String> tried) {
        if (tried.size() + 1 >= MAX_ATTEMPTS_PER_LEG || !(error instanceof WorkerCallException call)) {
            return false;
        }
        return call.failure() == WorkerCallException.Failure.UNREACHABLE
                || call.failure() == WorkerCallException.Failure.REJECTED && switch (call.status()) {
                    case 404, 409, 429, 503 -> true;
                    default -> false;
                };
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private record Prefilled(LiveWorker worker, PrefillResult result) {
    }
}
