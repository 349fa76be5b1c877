package dev.equilibria.worker.host;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.scheduler.FinishReason;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceListener;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.KvHandoff;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import dev.equilibria.engine.kv.KvEventLog;
import java.util.Arrays;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** One simulated GPU worker inside a service process: its engine, the thread driving it, and its request legs. */
public final class HostedWorker {

    private final String id;
    private final Engine engine;
    private final KvEventLog kvEvents;
    private final WorkerDriver driver;
    private final Consumer<HostedWorker> roleChanged;
    private final HandoffObserver handoffs;
    private final java.util.function.Supplier<String> endpoint;
    private volatile WorkerRole role;
    private volatile boolean draining;
    /** Role to take once drained; null when no switch is pending. */
    private volatile WorkerRole pendingRole;

    HostedWorker(String id, WorkerRole role, Engine engine, KvEventLog kvEvents, ScaledClock clock,
                 Consumer<StepPlan> stepObserver, Consumer<HostedWorker> roleChanged, HandoffObserver handoffs,
                 java.util.function.Supplier<String> endpoint) {
        this.id = id;
        this.handoffs = handoffs;
        this.endpoint = endpoint;
        this.role = role;
        this.engine = engine;
        this.kvEvents = kvEvents;
        this.roleChanged = roleChanged;
        this.driver = new WorkerDriver(id, engine, clock, stepObserver, this::completeRoleSwitch);
    }

    public String id() {
        return id;
    }

    public WorkerRole role() {
        return role;
    }

    public boolean draining() {
        return draining;
    }

    public void setDraining(boolean draining) {
        this.draining = draining;
    }

    /** The role this worker is draining towards, or null. */
    public WorkerRole pendingRole() {
        return pendingRole;
    }

    /**
     * Starts a role switch: stop taking new work, let in-flight sequences and pinned handoffs finish, then take the
     * new role and announce it. Nothing in flight is dropped.
     */
    public void switchRole(WorkerRole newRole) {
        if (newRole == role && pendingRole == null) {
            return;
        }
        driver.lock().lock();
        try {
            pendingRole = newRole;
            draining = true;
            driver.signalWork(); // an idle driver completes the switch at once
        } finally {
            driver.lock().unlock();
        }
    }

    private void completeRoleSwitch() {
        WorkerRole next = pendingRole;
        if (next == null) {
            return;
        }
        role = next;
        pendingRole = null;
        draining = false;
        roleChanged.accept(this);
    }

    public Engine engine() {
        return engine;
    }

    void start() {
        driver.lock().lock();
        try {
            kvEvents.snapshot(engine.cachedBlockHashes()); // readers start from a known state
        } finally {
            driver.lock().unlock();
        }
        driver.start();
    }

    void stop() {
        driver.stop();
    }

    /** Nothing queued, running or pinned for a handoff. */
    boolean idle() {
        driver.lock().lock();
        try {
            return engine.isIdle();
        } finally {
            driver.lock().unlock();
        }
    }

    /** Publishes a full snapshot of the prefix cache, for a reader that saw a sequence gap. */
    public void publishSnapshot() {
        driver.lock().lock();
        try {
            kvEvents.snapshot(engine.cachedBlockHashes());
        } finally {
            driver.lock().unlock();
        }
    }

    /** Prefills a prompt and completes with the first token and the KV handoff. */
    public Mono<PrefillResult> prefill(PrefillRequest request) {
        requireAccepting(WorkerRole.PREFILL);
        Sinks.One<PrefillResult> result = Sinks.one();
        long[] startNanos = new long[1];
        SequenceListener listener = new SequenceListener() {
            @Override
            public void onToken(Sequence s, int index, int tokenId, FinishReason finish) {
                long bytes = (long) s.promptLength() * engine.config().kvBytesPerToken();
                KvHandoff handoff = new KvHandoff(id, s.promptLength(), Arrays.stream(s.promptBlockHashes()).boxed()
                        .toList(), bytes, endpoint.get());
                double millis = (driver.nowNanos() - startNanos[0]) / 1e6;
                result.tryEmitValue(new PrefillResult(s.requestId(), id, s.promptLength(), s.cachedPromptTokens(),
                        tokenId, handoff, millis));
            }

            @Override
            public void onAborted(Sequence s, String reason) {
                result.tryEmitError(new IllegalStateException("prefill of " + s.requestId() + " aborted: " + reason));
            }
        };
        SequenceRequest sequence = SequenceRequest.prefill(request.requestId(), request.promptTokenIds());
        return Mono.defer(() -> {
            startNanos[0] = submit(sequence, listener, request.refusesWhenFull());
            return result.asMono();
        }).doOnCancel(() -> cancel(request.requestId()));
    }

    /**
     * Continues a request and streams the tokens after the ones it already has: from the handed-off KV when the
     * request carries a handoff, else after prefilling the prompt and the tokens already generated on this worker.
     */
    public Flux<GeneratedToken> decode(DecodeRequest request) {
        requireAccepting(WorkerRole.DECODE);
        Sinks.Many<GeneratedToken> tokens = Sinks.many().unicast().onBackpressureBuffer();
        SequenceListener listener = new SequenceListener() {
            @Override
            public void onToken(Sequence s, int index, int tokenId, FinishReason finish) {
                tokens.tryEmitNext(new GeneratedToken(s.requestId(), index, tokenId,
                        finish == null ? null : finish.wireName()));
                if (finish != null) {
                    tokens.tryEmitComplete();
                }
            }

            @Override
            public void onKvReceived(Sequence s) {
                handoffs.kvReceived(HostedWorker.this, s.requestId(), request.handoff(), s.transferNanos());
            }

            @Override
            public void onAborted(Sequence s, String reason) {
                tokens.tryEmitError(new IllegalStateException("decode of " + s.requestId() + " aborted: " + reason));
            }
        };
        // without a handoff there is no KV to receive: prefill here, whatever the role (decode-first's local
        // prefill, the gateway's aggregated fallback, and a migrated request's re-prefill on a decode worker)
        SequenceMode mode = request.handoff() == null ? SequenceMode.FULL : SequenceMode.DECODE_ONLY;
        SequenceRequest sequence = new SequenceRequest(request.requestId(), mode, request.promptTokenIds(),
                request.generatedTokenIds() == null ? new int[0] : request.generatedTokenIds(), request.maxTokens(),
                request.stopTokenIds() == null ? new int[0] : request.stopTokenIds());
        return Flux.defer(() -> {
            submit(sequence, listener, request.refusesWhenFull());
            return tokens.asFlux();
        }).doOnCancel(() -> cancel(request.requestId()));
    }

    /** Unpins a handed-off request's KV; false if there was no such hold. */
    public boolean releaseHandoff(String requestId) {
        driver.lock().lock();
        try {
            return engine.releaseHandoff(requestId);
        } finally {
            driver.lock().unlock();
        }
    }

    public WorkerLoad load(long timestampMs) {
        driver.lock().lock();
        try {
            return new WorkerLoad(id, role, timestampMs, engine.runningCount(), engine.waitingCount(),
                    engine.usedBlocks(), engine.config().numBlocks(), engine.pendingPrefillTokens(),
                    engine.stats().prefixCacheHitRate());
        } finally {
            driver.lock().unlock();
        }
    }

    /** Runs {@code reader} against the engine with the driver's lock held, for consistent metric reads. */
    public <T> T read(java.util.function.Function<Engine, T> reader) {
        driver.lock().lock();
        try {
            return reader.apply(engine);
        } finally {
            driver.lock().unlock();
        }
    }

    /** Checked and submitted under the engine's lock, so two legs cannot both take the last free slot. */
    private long submit(SequenceRequest sequence, SequenceListener listener, boolean refuseWhenFull) {
        driver.lock().lock();
        try {
            if (refuseWhenFull && !engine.hasFreeSlot()) {
                throw new WorkerFullException("worker " + id + " has no free batch slot (max_num_seqs "
                        + engine.config().maxNumSeqs() + ")");
            }
            long now = driver.nowNanos();
            engine.submit(sequence, listener, now);
            driver.signalWork();
            return now;
        } finally {
            driver.lock().unlock();
        }
    }

    private void cancel(String requestId) {
        driver.lock().lock();
        try {
            engine.cancel(requestId, "client went away");
        } finally {
            driver.lock().unlock();
        }
    }

    private void requireAccepting(WorkerRole leg) {
        if (draining) {
            throw new WorkerUnavailableException("worker " + id + " is draining");
        }
        if (role != leg && role != WorkerRole.AGGREGATED) {
            throw new WorkerUnavailableException("worker " + id + " has role " + role.wireName()
                    + " and does not serve the " + leg.wireName() + " leg");
        }
    }
}
