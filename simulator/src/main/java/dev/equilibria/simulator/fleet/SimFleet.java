package dev.equilibria.simulator.fleet;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.kv.KvEventLog;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.sampling.VocabularySampler;
import dev.equilibria.engine.scheduler.FinishReason;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceListener;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.LedgerDelta;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.routing.ledger.Reservation;
import dev.equilibria.routing.orchestration.LegAttempts;
import dev.equilibria.routing.orchestration.RouteRequest;
import dev.equilibria.routing.orchestration.RoutedLeg;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.metrics.RequestTrace;
import dev.equilibria.simulator.workload.SimRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A disaggregated fleet in virtual time, built from production code: each worker is an {@link Engine}, each gateway
 * replica a {@code LegRouter} with its own KV index (fed by the workers' KV events) and load ledger. A request is
 * routed prefill-first: pick a prefill worker, prefill, pick a decode worker, hand the KV off (the decode worker
 * releases the prefill worker's pin once it has the KV), decode. With no prefill worker the request runs
 * aggregated on a decode worker.
 */
public final class SimFleet {

    private static final String MODEL = "simulated";

    private final FleetSpec spec;
    private final RouterView view;
    private final EventLoop loop;
    private final Map<String, SimWorker> workers = new LinkedHashMap<>();
    private final Map<String, Boolean> draining = new LinkedHashMap<>();
    private final List<SimGateway> gateways = new ArrayList<>();
    private final List<Consumer<RoutingDecision>> decisionListeners = new ArrayList<>();
    private final List<Consumer<RequestTrace>> completionListeners = new ArrayList<>();
    private int nextGateway;
    private long inFlight;
    private long refusals;
    private final SplittableRandom seeds;

    public SimFleet(FleetSpec spec, RouterView view, PolicySettings prefillSettings, PolicySettings decodeSettings,
                    long seed, EventLoop loop) {
        this.spec = spec;
        this.view = view;
        this.loop = loop;
        this.seeds = new SplittableRandom(seed);
        for (int g = 0; g < view.gateways(); g++) {
            gateways.add(new SimGateway("gw-" + g, loop.clock(), seeds.split(), prefillSettings, decodeSettings,
                    view));
        }
        for (int i = 0; i < spec.prefillWorkers(); i++) {
            addWorker("prefill-" + i, WorkerRole.PREFILL, spec.prefillProfile(), seeds.split());
        }
        for (int i = 0; i < spec.decodeWorkers(); i++) {
            addWorker("decode-" + i, WorkerRole.DECODE, spec.decodeProfile(), seeds.split());
        }
        if (view.kind() == RouterView.Kind.POLLED) {
            loop.at(0, this::pollLoads);
        }
    }

    private void addWorker(String id, WorkerRole role, EngineProfile profile, SplittableRandom random) {
        EngineConfig config = profile.engineConfig(spec.blockSize());
        KvEventLog events = new KvEventLog(id, event -> gateways.forEach(g -> g.onKvEvent(event)), loop.clock());
        Engine engine = new Engine(config, profile.rooflineTiming(), profile.handoffLink(),
                VocabularySampler.commonWords(random), events).withKvAdmission(spec.kvAdmission());
        events.snapshot(engine.cachedBlockHashes());
        workers.put(id, new SimWorker(id, role, engine, loop));
        draining.put(id, false);
    }

    public FleetSpec spec() {
        return spec;
    }

    public RouterView view() {
        return view;
    }

    public EventLoop loop() {
        return loop;
    }

    public List<SimWorker> workers() {
        return List.copyOf(workers.values());
    }

    public List<SimWorker> workers(WorkerRole role) {
        return workers.values().stream().filter(w -> w.role() == role).toList();
    }

    public long inFlight() {
        return inFlight;
    }

    /** Legs refused by a full worker and placed again ({@code refuse_when_full}). */
    public long refusals() {
        return refusals;
    }

    /** Every routing decision, as the gateway would log it. */
    public void onDecision(Consumer<RoutingDecision> listener) {
        decisionListeners.add(listener);
    }

    /** Every finished request, as the gateway's request records report it (after the submitter's callback). */
    public void onCompletion(Consumer<RequestTrace> listener) {
        completionListeners.add(listener);
    }

    /** A fleet-wide router-config override reaches every gateway replica. */
    public void apply(RouterConfigOverride override) {
        gateways.forEach(g -> g.apply(override));
    }

    public PolicySettings prefillSettings() {
        return gateways.get(0).prefillSettings();
    }

    /**
     * Starts one more worker in {@code role} (a scale-up, as the Kubernetes actuator does), with that pool's
     * profile; it takes traffic from now on.
     */
    public SimWorker addWorker(WorkerRole role) {
        String prefix = role == WorkerRole.PREFILL ? "prefill-" : "decode-";
        int n = 0;
        while (workers.containsKey(prefix + n)) {
            n++;
        }
        addWorker(prefix + n, role, role == WorkerRole.PREFILL ? spec.prefillProfile() : spec.decodeProfile(),
                seeds.split());
        return workers.get(prefix + n);
    }

    /** True while a worker drains before a role switch. */
    public boolean isDraining(String workerId) {
        return draining.getOrDefault(workerId, false);
    }

    /**
     * Moves a worker to another pool the way the allocator's local actuator does: no new work from now on, the
     * switch when its in-flight work (and pinned handoffs) are done.
     */
    public void switchRole(String workerId, WorkerRole role, Runnable whenDone) {
        SimWorker worker = workers.get(workerId);
        draining.put(workerId, true);
        awaitIdle(worker, () -> {
            worker.setRole(role);
            draining.put(workerId, false);
            whenDone.run();
        });
    }

    private void awaitIdle(SimWorker worker, Runnable then) {
        if (worker.engine().isIdle()) {
            then.run();
        } else {
            loop.after(10_000_000L, () -> awaitIdle(worker, then));
        }
    }

    /** A request arrives now; {@code onDone} gets its trace when the last token is out. */
    public void submit(SimRequest request, Consumer<RequestTrace> onDone) {
        SimGateway gateway = gateways.get(nextGateway++ % gateways.size());
        inFlight++;
        new Flight(gateway, request, onDone).start();
    }

    /** One request's way through the fleet. */
    private final class Flight {
        private final SimGateway gateway;
        private final SimRequest request;
        private final RouteRequest route;
        private final Consumer<RequestTrace> onDone;
        private final long arrival;
        private String prefillWorker;
        private String decodeWorker;
        private long firstToken = -1;
        private long prefillQueue;
        private long decodeSubmit;
        private int cachedTokens;
        private Optional<Reservation> prefillHold = Optional.empty();
        private Optional<Reservation> decodeHold = Optional.empty();

        Flight(SimGateway gateway, SimRequest request, Consumer<RequestTrace> onDone) {
            this.gateway = gateway;
            this.request = request;
            this.onDone = onDone;
            this.arrival = loop.now();
            this.route = new RouteRequest(request.id(), MODEL, request.promptTokens(), request.outputTokens());
        }

        void start() {
            List<LiveWorker> prefillers = candidates(WorkerRole.PREFILL);
            if (prefillers.isEmpty()) {
                runAggregated();
                return;
            }
            RoutedLeg leg = routed(WorkerRole.PREFILL, prefillers);
            prefillWorker = leg.workerId();
            prefillHold = gateway.reserve(leg, route, true, false);
            shareLedger();
            SimWorker worker = workers.get(prefillWorker);
            long submitted = worker.nextBatchNanos();
            worker.submit(withRouterHashes(SequenceRequest.prefill(request.id(), request.promptTokens())),
                    new SequenceListener() {
                @Override
                public void onToken(Sequence s, int index, int tokenId, FinishReason finish) {
                    firstToken = loop.now();
                    prefillQueue = s.firstAdmittedNanos() - submitted;
                    cachedTokens = s.cachedPromptTokens();
                    prefillHold.ifPresent(Reservation::release);
                    shareLedger();
                    if (request.outputTokens() <= 1) {
                        worker.releaseHandoff(request.id());
                        finish(loop.now());
                    } else {
                        decode(tokenId);
                    }
                }
            });
        }

        private void decode(int firstTokenId) {
            RoutedLeg leg = routed(WorkerRole.DECODE, candidates(WorkerRole.DECODE));
            decodeWorker = leg.workerId();
            decodeHold = gateway.reserve(leg, route, false, true);
            shareLedger();
            decodeSubmit = workers.get(decodeWorker).nextBatchNanos();
            SimWorker prefiller = workers.get(prefillWorker);
            workers.get(decodeWorker).submit(withRouterHashes(new SequenceRequest(request.id(),
                    SequenceMode.DECODE_ONLY, request.promptTokens(), new int[] {firstTokenId},
                    request.outputTokens(), new int[0])),
                    new SequenceListener() {
                        @Override
                        public void onKvReceived(Sequence s) {
                            prefiller.releaseHandoff(request.id());
                        }

                        @Override
                        public void onToken(Sequence s, int index, int tokenId, FinishReason finish) {
                            if (finish != null) {
                                decodeHold.ifPresent(Reservation::release);
                                shareLedger();
                                long queue = s.firstAdmittedNanos() - decodeSubmit;
                                finish(loop.now(), queue);
                            }
                        }
                    });
        }

        private void runAggregated() {
            RoutedLeg leg = routed(WorkerRole.AGGREGATED, candidates(WorkerRole.DECODE));
            prefillWorker = leg.workerId();
            decodeWorker = leg.workerId();
            prefillHold = gateway.reserve(leg, route, true, true);
            shareLedger();
            long submitted = workers.get(decodeWorker).nextBatchNanos();
            workers.get(decodeWorker).submit(withRouterHashes(new SequenceRequest(request.id(), SequenceMode.FULL,
                    request.promptTokens(), new int[0], request.outputTokens(), new int[0])),
                    new SequenceListener() {
                @Override
                public void onToken(Sequence s, int index, int tokenId, FinishReason finish) {
                    if (index == 0) {
                        firstToken = loop.now();
                        prefillQueue = s.firstAdmittedNanos() - submitted;
                        cachedTokens = s.cachedPromptTokens();
                        prefillHold.ifPresent(Reservation::prefillDone);
                        shareLedger();
                    }
                    if (finish != null) {
                        prefillHold.ifPresent(Reservation::release);
                        shareLedger();
                        finish(loop.now());
                    }
                }
            });
        }

        /** The prompt is hashed once per request, by the router; the engines reuse those hashes. */
        private SequenceRequest withRouterHashes(SequenceRequest sequence) {
            return sequence.withPromptBlockHashes(spec.blockSize(), route.blockHashes(spec.blockSize()));
        }

        /**
         * Places a leg as the gateway's pipeline does: with {@code refuse_when_full}, a worker without a free batch
         * slot refuses the leg at once (the HTTP round trip is not modelled, as no call is) and the leg goes to the
         * best of the workers that have not refused it; once {@link LegAttempts} says no more, it is placed over the
         * whole pool and queues.
         */
        private RoutedLeg routed(WorkerRole leg, List<LiveWorker> candidates) {
            List<LiveWorker> notRefused = new ArrayList<>(candidates);
            for (int refused = 0; ; refused++) {
                boolean ask = LegAttempts.askToRefuseWhenFull(gateway.refuseWhenFull(), refused, notRefused.size());
                RoutedLeg routed = gateway.route(leg, route, ask ? notRefused : candidates);
                for (Consumer<RoutingDecision> listener : decisionListeners) {
                    listener.accept(routed.decision());
                }
                if (!ask || workers.get(routed.workerId()).engine().hasFreeSlot()) {
                    return routed;
                }
                refusals++;
                notRefused.removeIf(w -> w.workerId().equals(routed.workerId()));
            }
        }

        private void finish(long now) {
            finish(now, 0);
        }

        private void finish(long now, long decodeQueue) {
            inFlight--;
            RequestTrace trace = new RequestTrace(request.id(), arrival, firstToken, now,
                    request.promptTokens().length, cachedTokens, request.outputTokens(), prefillWorker, decodeWorker,
                    prefillQueue, decodeQueue);
            onDone.accept(trace);
            completionListeners.forEach(l -> l.accept(trace));
        }

        private void shareLedger() {
            if (gateways.size() > 1 && view.shareDelay() != null) {
                gateway.nextDelta().ifPresent(delta -> loop.after(view.shareDelay().toNanos(),
                        () -> gateways.stream().filter(g -> g != gateway).forEach(g -> g.onPeerDelta(delta))));
            }
        }
    }

    private List<LiveWorker> candidates(WorkerRole role) {
        List<LiveWorker> live = new ArrayList<>();
        for (SimWorker worker : workers.values()) {
            if (worker.role() == role && !draining.get(worker.id())) {
                live.add(liveWorker(worker));
            }
        }
        return live;
    }

    private LiveWorker liveWorker(SimWorker worker) {
        EngineConfig c = worker.engine().config();
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(worker.id(), worker.role(), "sim://" + worker.id(), MODEL,
                new WorkerCapacity(c.maxNumSeqs(), c.maxNumBatchedTokens(), c.numBlocks(), c.blockSize(),
                        c.maxModelLen()), false, loop.clock().millis());
        return new LiveWorker(heartbeat, Instant.EPOCH, loop.clock().instant());
    }

    /** The polled view: every poll interval, each gateway learns the workers' actual load, as from metrics. */
    private long pollSeq;

    private void pollLoads() {
        List<LedgerDelta.WorkerShare> shares = new ArrayList<>();
        for (SimWorker worker : workers.values()) {
            Engine e = worker.engine();
            shares.add(new LedgerDelta.WorkerShare(worker.id(), e.pendingPrefillTokens(), e.usedBlocks(),
                    e.runningCount() + e.waitingCount()));
        }
        LedgerDelta delta = new LedgerDelta("metrics", 0, ++pollSeq, loop.clock().millis(), true, shares);
        gateways.forEach(g -> g.onPeerDelta(delta));
        loop.after(view.pollInterval().toNanos(), this::pollLoads);
    }
}
