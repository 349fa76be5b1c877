package dev.equilibria.gateway.pipeline;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.gateway.routing.WorkerCircuitBreakers;
import dev.equilibria.gateway.routing.WorkerPools;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import dev.equilibria.routing.config.ResolvedRouterConfig;
import dev.equilibria.routing.ledger.Reservation;
import dev.equilibria.routing.orchestration.ExecutionPlanner;
import dev.equilibria.routing.orchestration.LegAttempts;
import dev.equilibria.routing.orchestration.RemotePrefillDecider;
import dev.equilibria.routing.orchestration.RoutedLeg;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a request across the disaggregated fleet in the order its router configuration says:
 * <ul>
 *   <li>prefill-first: place the prefill leg, prefill, then place the decode leg with fresh load and stream from
 *   the decode worker, which continues from the prefill's KV handoff;</li>
 *   <li>decode-first: place the decode leg, then prefill remotely only when the part of the prompt the decode worker
 *   does not cache exceeds {@code remote_prefill_threshold}, else let the (aggregated) decode worker prefill it;</li>
 *   <li>an empty prefill pool runs the request aggregated on a decode-capable worker, with a log line and a
 *   metric.</li>
 * </ul>
 * Every leg is counted in the load ledger from dispatch to its end, whatever the ending. A leg refused by its worker
 * (gone, draining, switched role, overloaded) or whose worker died during the call (connection reset or refused,
 * 5xx, no answer within {@code failover.prefill-timeout} / no token within {@code failover.stall-timeout}) moves to
 * another worker of the pool, as long as the client has seen no output of that leg. A stream whose worker dies
 * after output was sent migrates ({@link StreamMigration}): the rest of the request runs again through this same
 * placement with the tokens already sent appended to its prompt. Every call's outcome feeds the worker's circuit
 * breaker. With {@code refuse_when_full}, a leg asks its worker to refuse it when every batch slot is taken and then
 * goes to another worker of the pool, as {@link LegAttempts} allows; such a refusal is not a failure.
 */
@Component
public class CompletionPipeline {

    private static final Logger log = LoggerFactory.getLogger(CompletionPipeline.class);

    private final WorkerPools pools;
    private final LegPlacer placer;
    private final WorkerClient workers;
    private final GatewayMetrics metrics;
    private final RoutingMetrics routingMetrics;
    private final WorkerCircuitBreakers breakers;
    private final Duration requestTimeout;
    private final GatewayProperties.Failover failover;

    public CompletionPipeline(WorkerPools pools, LegPlacer placer, WorkerClient workers, GatewayMetrics metrics,
                              RoutingMetrics routingMetrics, WorkerCircuitBreakers breakers,
                              GatewayProperties properties) {
        this.pools = pools;
        this.placer = placer;
        this.workers = workers;
        this.metrics = metrics;
        this.routingMetrics = routingMetrics;
        this.breakers = breakers;
        this.requestTimeout = properties.requestTimeout();
        this.failover = properties.failover();
    }

    /**
     * Completes once the first leg answered (prefill done, or an aggregated stream opened); fails before any output
     * with {@link NoWorkerAvailableException}, {@link WorkerCallException} or a timeout. Failures later surface in
     * {@link Generation#tokens()}.
     *
     * @param dispatched run once the request's first leg is counted in the ledger (admission's cue)
     */
    public Mono<Generation> start(GenerationRequest request, Runnable dispatched) {
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + requestTimeout.toNanos();
            return begin(request, deadline, dispatched).map(generation -> new Generation(generation.requestId(),
                    generation.prefillWorker(), generation.decodeWorker(), generation.cachedTokens(),
                    StreamMigration.migrating(request, generation.tokens(), failover.maxMigrations(),
                            continuation -> begin(continuation.request(), deadline, () -> {
                            }).flatMapMany(Generation::tokens), migrationLog)));
        });
    }

    private final StreamMigration.Listener migrationLog = new StreamMigration.Listener() {
        @Override
        public void migrated(Continuation continuation, Throwable cause) {
            metrics.migration("migrated");
            log.warn("request {}: its worker died after {} tokens ({}); continuing elsewhere, migration {} of at most"
                            + " {}", continuation.original().requestId(), continuation.offset(), cause.getMessage(),
                    continuation.migration(), failover.maxMigrations());
        }

        @Override
        public void exhausted(GenerationRequest original, int migrations, Throwable cause) {
            metrics.migration("exhausted");
            log.warn("request {}: its worker died again after {} migration(s); ending it with an error ({})",
                    original.requestId(), migrations, cause.getMessage());
        }
    };

    /** Plans and starts a request (or a continuation) on the pools as they are now. */
    private Mono<Generation> begin(GenerationRequest request, long deadline, Runnable dispatched) {
        return Mono.defer(() -> {
            ResolvedRouterConfig config = request.config();
            int prefillPool = pools.pool(WorkerRole.PREFILL, request.model()).size();
            int decodePool = pools.pool(WorkerRole.DECODE, request.model()).size();
            return switch (ExecutionPlanner.start(config.orchestration(), request.maxTokens(), prefillPool,
                    decodePool)) {
                case NO_PREFILL_WORKER -> Mono.error(new NoWorkerAvailableException(WorkerRole.PREFILL,
                        request.model()));
                case NO_DECODE_WORKER -> Mono.error(new NoWorkerAvailableException(WorkerRole.DECODE,
                        request.model()));
                case AGGREGATED_FALLBACK -> {
                    log.warn("request {}: the prefill pool for model '{}' is empty; running it aggregated on a"
                            + " decode worker", request.requestId(), request.model());
                    routingMetrics.aggregatedFallback("no_prefill_worker");
                    routingMetrics.orchestration("aggregated_fallback");
                    yield aggregated(request, deadline, dispatched, null);
                }
                case PREFILL_ONLY -> {
                    routingMetrics.orchestration("prefill_only");
                    yield prefillFirst(request, deadline, dispatched);
                }
                case PREFILL_FIRST -> {
                    routingMetrics.orchestration("prefill_first");
                    yield prefillFirst(request, deadline, dispatched);
                }
                case DECODE_FIRST -> decodeFirst(request, deadline, dispatched);
            };
        });
    }

    private Mono<Generation> prefillFirst(GenerationRequest request, long deadline, Runnable dispatched) {
        return prefill(request, new Tries(), dispatched)
                .timeout(remaining(deadline))
                .map(done -> new Generation(request.requestId(), done.workerId(), null,
                        done.result().cachedTokens(), tokens(request, done.result(), null, deadline)));
    }

    private Mono<Generation> decodeFirst(GenerationRequest request, long deadline, Runnable dispatched) {
        RoutedLeg decode = placer.route(WorkerRole.DECODE, request, Set.of());
        int cached = decode.cachedTokens(request.promptTokenIds().length);
        boolean remote = RemotePrefillDecider.remotePrefill(request.promptTokenIds().length, cached,
                request.config().remotePrefillThreshold());
        if (!remote) {
            // any decode-capable worker prefills a decode leg that comes without a handoff
            routingMetrics.orchestration("decode_first_local");
            return aggregated(request, deadline, dispatched, decode);
        }
        routingMetrics.orchestration("decode_first_remote");
        Reservation held = placer.reserve(WorkerRole.DECODE, decode, request, false, true);
        return prefill(request, new Tries(), dispatched)
                .timeout(remaining(deadline))
                .doOnError(error -> held.release())
                .doOnCancel(held::release)
                .map(done -> new Generation(request.requestId(), done.workerId(), decode.workerId(),
                        done.result().cachedTokens(), tokens(request, done.result(), new Placed(decode, held),
                        deadline)));
    }

    /** Prefill with retries; each attempt's reservation ends with its call. */
    private Mono<Prefilled> prefill(GenerationRequest request, Tries tries, Runnable dispatched) {
        return Mono.defer(() -> {
            boolean ask = askToRefuseWhenFull(WorkerRole.PREFILL, request, tries);
            RoutedLeg routed = placer.route(WorkerRole.PREFILL, request, tries.excluded(ask));
            Reservation reservation = placer.reserve(WorkerRole.PREFILL, routed, request, true, false);
            dispatched.run();
            PrefillRequest call = new PrefillRequest(request.requestId(), request.promptTokenIds(),
                    request.maxTokens(), ask);
            long started = System.nanoTime();
            return workers.prefill(routed.worker(), call)
                    .timeout(failover.prefillTimeout(), Mono.error(() -> WorkerCallException.timedOut(
                            WorkerRole.PREFILL, routed.workerId(), failover.prefillTimeout())))
                    .doOnSuccess(result -> breakers.succeeded(routed.workerId(), System.nanoTime() - started))
                    .doOnError(error -> recordFailure(routed.workerId(), started, error))
                    .doFinally(signal -> reservation.release())
                    .map(result -> new Prefilled(routed.workerId(), result))
                    .onErrorResume(error -> retryable(error, ask, tries), error -> {
                        if (!anotherWorker(WorkerRole.PREFILL, request, tries, routed.workerId(), ask, error)) {
                            return Mono.error(error);
                        }
                        return prefill(request, tries, dispatched);
                    });
        });
    }

    /**
     * The output of a disaggregated request: the first token from prefill, then the decode stream.
     *
     * @param decode the decode leg already placed (decode-first), or null to place it now (prefill-first)
     */
    private Flux<GeneratedToken> tokens(GenerationRequest request, PrefillResult prefill, Placed decode,
                                        long deadline) {
        boolean onlyToken = request.maxTokens() <= 1 || request.isStopToken(prefill.firstTokenId());
        String finish = request.isStopToken(prefill.firstTokenId()) ? GeneratedToken.FINISH_STOP
                : GeneratedToken.FINISH_LENGTH;
        GeneratedToken first = new GeneratedToken(request.requestId(), 0, prefill.firstTokenId(),
                onlyToken ? finish : null);
        if (onlyToken) {
            if (decode != null) {
                decode.reservation().release();
            }
            return Flux.just(first);
        }
        int[] generated = {prefill.firstTokenId()};
        DecodeRequest call = new DecodeRequest(request.requestId(), request.promptTokenIds(), generated,
                request.maxTokens(), request.stopTokenIds(), prefill.handoff());
        Mono<Long> deadlinePassed = Mono.defer(() -> Mono.delay(remaining(deadline)));
        Flux<GeneratedToken> rest = decode(WorkerRole.DECODE, request, call, decode, new Tries())
                .timeout(deadlinePassed, token -> deadlinePassed);
        return Flux.concat(Mono.just(first), rest);
    }

    /** The whole request on one decode-capable worker: its decode leg without a handoff prefills locally. */
    private Mono<Generation> aggregated(GenerationRequest request, long deadline, Runnable dispatched,
                                        RoutedLeg placed) {
        DecodeRequest call = new DecodeRequest(request.requestId(), request.promptTokenIds(), new int[0],
                request.maxTokens(), request.stopTokenIds(), null);
        RoutedLeg routed = placed != null ? placed : placer.route(WorkerRole.AGGREGATED, request, Set.of());
        Reservation reservation = placer.reserve(WorkerRole.AGGREGATED, routed, request, true, true);
        dispatched.run();
        Mono<Long> deadlinePassed = Mono.defer(() -> Mono.delay(remaining(deadline)));
        Flux<GeneratedToken> stream = decode(WorkerRole.AGGREGATED, request, call,
                new Placed(routed, reservation), new Tries())
                .timeout(deadlinePassed, token -> deadlinePassed);
        return Mono.just(new Generation(request.requestId(), routed.workerId(), routed.workerId(),
                routed.cachedTokens(request.promptTokenIds().length), stream));
    }

    /**
     * A decode stream with retries before the first token; each attempt's reservation ends with its stream.
     *
     * @param leg    DECODE after a handoff, or AGGREGATED for a local prefill and decode
     * @param placed the attempt already placed and reserved, or null to place one now
     */
    private Flux<GeneratedToken> decode(WorkerRole leg, GenerationRequest request, DecodeRequest call, Placed placed,
                                        Tries tries) {
        return Flux.defer(() -> {
            boolean ask = askToRefuseWhenFull(WorkerRole.DECODE, request, tries);
            Placed attempt = placed != null ? placed : place(leg, request, tries.excluded(ask));
            String workerId = attempt.routed().workerId();
            boolean[] streaming = {false};
            long started = System.nanoTime();
            DecodeRequest sent = call.withRefuseWhenFull(ask);
            Flux<GeneratedToken> raw = workers.decode(attempt.routed().worker(), sent)
                    .timeout(failover.stallTimeout())
                    .onErrorMap(java.util.concurrent.TimeoutException.class, e -> WorkerCallException.timedOut(
                            WorkerRole.DECODE, workerId, failover.stallTimeout()));
            Flux<GeneratedToken> stream = DecodeStreamCheck.checked(raw, workerId, call.generatedTokenIds().length,
                    call.maxTokens());
            return stream
                    .doOnComplete(() -> breakers.succeeded(workerId, System.nanoTime() - started))
                    .doOnError(error -> recordFailure(workerId, started, error))
                    .doOnNext(token -> {
                        if (!streaming[0]) {
                            streaming[0] = true;
                            attempt.reservation().prefillDone();
                        }
                    })
                    .doFinally(signal -> attempt.reservation().release())
                    // once tokens reached the client, another worker cannot take over without repeating them
                    .onErrorResume(error -> !streaming[0] && retryable(error, ask, tries), error -> {
                        if (!anotherWorker(leg, request, tries, workerId, ask, error)) {
                            return Flux.error(error);
                        }
                        return decode(leg, request, call, null, tries);
                    });
        });
    }

    private Placed place(WorkerRole leg, GenerationRequest request, Set<String> tried) {
        RoutedLeg routed = placer.route(leg, request, tried);
        boolean aggregated = leg == WorkerRole.AGGREGATED;
        return new Placed(routed, placer.reserve(leg, routed, request, aggregated, true));
    }

    /**
     * A full worker's refusal of a leg that asked for it, or a refusal or death another worker may not share (see
     * {@link WorkerFaults}) within the leg's failure budget.
     */
    private static boolean retryable(Throwable error, boolean asked, Tries tries) {
        return asked && WorkerFaults.full(error)
                || LegAttempts.mayTryAnother(tries.failed.size() + 1) && WorkerFaults.retryable(error);
    }

    /** Counts the attempt that {@code workerId} refused or failed; false when the pool has no worker left to try. */
    private boolean anotherWorker(WorkerRole leg, GenerationRequest request, Tries tries, String workerId,
                                  boolean asked, Throwable error) {
        if (asked && WorkerFaults.full(error)) {
            // still in the pool the leg falls back on once every worker has refused it
            tries.refusedFull.add(workerId);
            metrics.legRefusedFull(leg);
            return true;
        }
        tries.failed.add(workerId);
        WorkerRole pool = leg == WorkerRole.PREFILL ? WorkerRole.PREFILL : WorkerRole.DECODE;
        if (pools.pool(pool, request.model(), tries.failed).isEmpty()) {
            return false;
        }
        metrics.legRetried(leg);
        return true;
    }

    /**
     * Whether this attempt asks its worker to refuse the leg when full (see {@link LegAttempts}); the setting is
     * checked first so that a request without it does not list the pool once more.
     */
    private boolean askToRefuseWhenFull(WorkerRole pool, GenerationRequest request, Tries tries) {
        return request.config().refuseWhenFull() && LegAttempts.askToRefuseWhenFull(true, tries.refusedFull.size(),
                pools.pool(pool, request.model(), tries.excluded(true)).size());
    }

    private void recordFailure(String workerId, long startedNanos, Throwable error) {
        if (WorkerFaults.breakerFailure(error)) {
            breakers.failed(workerId, System.nanoTime() - startedNanos, error);
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private record Prefilled(String workerId, PrefillResult result) {
    }

    /** The workers that failed one leg, and those that refused it for being full (not failures). */
    private static final class Tries {
        final Set<String> failed = new HashSet<>();
        final Set<String> refusedFull = new HashSet<>();

        /** Workers the next attempt may not go to: asking to be refused, those that already refused too. */
        Set<String> excluded(boolean askingToRefuse) {
            if (!askingToRefuse || refusedFull.isEmpty()) {
                return failed;
            }
            Set<String> both = new HashSet<>(failed);
            both.addAll(refusedFull);
            return both;
        }
    }

    private record Placed(RoutedLeg routed, Reservation reservation) {
    }
}
