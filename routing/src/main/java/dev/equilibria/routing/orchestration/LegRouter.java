package dev.equilibria.routing.orchestration;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.Reservation;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.policy.Candidate;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.policy.RoutingWeights;
import dev.equilibria.routing.policy.Selection;
import dev.equilibria.routing.policy.SelectionContext;
import dev.equilibria.routing.policy.WorkerSelector;
import dev.equilibria.routing.policy.WorkerSelectors;
import dev.equilibria.routing.registry.LiveWorker;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Places one leg of a request: annotates each candidate with its cached overlap (KV index) and in-flight load
 * (ledger), lets the configured policy choose, and writes the decision with every candidate's cost terms. Then
 * {@link #reserve} counts the leg in the ledger. Thread-safe.
 */
public final class LegRouter {

    private final KvIndex index;
    private final LoadLedger ledger;
    private final RoutingWeights weights;
    private final RandomGenerator random;
    private final LongSupplier ticker;
    private final InstantSource clock;
    private final Map<String, WorkerSelector> selectors = WorkerSelectors.createAll();

    /**
     * @param random shared by every decision; must be thread-safe (for example a synchronized wrapper or
     *               {@code ThreadLocalRandom} in a service, a seeded source in tests and the simulator)
     * @param ticker nanosecond ticker for the phase timings (not the wall clock)
     */
    public LegRouter(KvIndex index, LoadLedger ledger, RoutingWeights weights, RandomGenerator random,
                     LongSupplier ticker, InstantSource clock) {
        this.index = Objects.requireNonNull(index, "index");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.weights = Objects.requireNonNull(weights, "weights");
        this.random = Objects.requireNonNull(random, "random");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public KvIndex index() {
        return index;
    }

    public LoadLedger ledger() {
        return ledger;
    }

    /**
     * Chooses the worker for a leg.
     *
     * @param leg        PREFILL, DECODE, or AGGREGATED for a request run whole on one worker
     * @param candidates non-empty, ordered by worker id
     * @param settings   resolved (every field set)
     */
    public RoutedLeg route(WorkerRole leg, RouteRequest request, List<LiveWorker> candidates,
                           PolicySettings settings) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates for the " + leg.wireName() + " leg");
        }
        if (!settings.isComplete()) {
            throw new IllegalArgumentException("settings must be resolved: " + settings);
        }
        long start = ticker.getAsLong();
        long hashedBefore = request.hashNanos();
        int n = candidates.size();
        List<String> ids = new ArrayList<>(n);
        candidates.forEach(w -> ids.add(w.workerId()));
        int[] overlaps = overlaps(request, candidates, ids);
        WorkerLoad[] loads = ledger.loads(ids);
        List<Candidate> annotated = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LiveWorker worker = candidates.get(i);
            double blockSize = blockSize(worker);
            int usable = usableOverlap(leg, request.promptTokens(), overlaps[i], blockSize(worker));
            annotated.add(new Candidate(worker, usable, request.promptTokens() / blockSize,
                    loads[i].prefillTokens() / blockSize, loads[i].decodeBlocks(), loads[i].requests(),
                    weights.weight(worker.workerId())));
        }
        long looked = ticker.getAsLong();
        long hashNanos = request.hashNanos() - hashedBefore;
        WorkerSelector selector = selectors.get(settings.policy());
        Selection selection = selector.select(new SelectionContext(leg, annotated, settings, random));
        long selected = ticker.getAsLong();
        Candidate chosen = annotated.get(selection.chosen());
        if (!(index instanceof KvEventIndex)) {
            index.onRouted(chosen.workerId(), request.blockHashes(blockSize(chosen.worker())));
        }
        return new RoutedLeg(chosen, decision(leg, request, settings, annotated, selection, chosen),
                hashNanos, looked - start - hashNanos, selected - looked);
    }

    /**
     * Counts a routed leg in the ledger: a leg that prefills holds the prompt's tokens not cached on its worker until
     * the first token; a leg that decodes holds the prompt's blocks until it ends.
     */
    public Reservation reserve(RoutedLeg routed, RouteRequest request, boolean prefills, boolean decodes) {
        int blockSize = routed.blockSize();
        long prefillTokens = prefills ? request.promptTokens() - routed.cachedTokens(request.promptTokens()) : 0;
        long decodeBlocks = decodes ? (request.promptTokens() + blockSize - 1) / blockSize : 0;
        return ledger.reserve(routed.workerId(), prefillTokens, decodeBlocks);
    }

    /**
     * Cached blocks the worker can actually skip. An engine computes at least the last token of what it is given, to
     * sample from its logits, and its cache hits come in whole blocks: a leg that prefills a fully cached prompt
     * still computes the prompt's last block (a 128-token prompt in 64-token blocks: half of it). A decode leg is
     * given the prompt and the first token, so the whole cached prompt counts there. Counting the index's raw
     * overlap instead makes a warm worker's queued prefill work look like nothing, so a {@code kv} router never
     * sends a cached prompt to a cold worker, however long the warm one's queue.
     */
    static int usableOverlap(WorkerRole leg, int promptTokens, int overlapBlocks, int blockSize) {
        int context = leg == WorkerRole.DECODE ? promptTokens + 1 : promptTokens;
        return Math.min(overlapBlocks, Math.max(0, context - 1) / blockSize);
    }

    private int[] overlaps(RouteRequest request, List<LiveWorker> candidates, List<String> ids) {
        int first = blockSize(candidates.get(0));
        boolean uniform = true;
        for (LiveWorker worker : candidates) {
            uniform &= blockSize(worker) == first;
        }
        if (uniform) {
            return index.overlaps(request.hashes(first, ticker), ids);
        }
        // workers hash with their own block size: query each group with its own hashes
        int[] overlaps = new int[ids.size()];
        Map<Integer, List<Integer>> byBlockSize = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            byBlockSize.computeIfAbsent(blockSize(candidates.get(i)), b -> new ArrayList<>()).add(i);
        }
        byBlockSize.forEach((blockSize, members) -> {
            List<String> groupIds = members.stream().map(ids::get).toList();
            int[] group = index.overlaps(request.hashes(blockSize, ticker), groupIds);
            for (int g = 0; g < members.size(); g++) {
                overlaps[members.get(g)] = group[g];
            }
        });
        return overlaps;
    }

    private RoutingDecision decision(WorkerRole leg, RouteRequest request, PolicySettings settings,
                                     List<Candidate> candidates, Selection selection, Candidate chosen) {
        List<CandidateCost> costs = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            costs.add(new CandidateCost(c.workerId(), c.overlapBlocks(), c.prefillBlocks(), c.decodeBlocks(),
                    selection.costs()[i]));
        }
        int requestBlocks = (int) Math.ceil(chosen.requestBlocks());
        return new RoutingDecision(request.requestId(), ledger.gatewayId(), clock.millis(), routingLeg(leg),
                chosen.workerId(), new RouterSettings(settings.policy(), settings.overlapScoreWeight(),
                settings.routerTemperature()), request.promptTokens(), requestBlocks, request.maxTokens(), costs);
    }

    private static RoutingLeg routingLeg(WorkerRole leg) {
        return switch (leg) {
            case PREFILL -> RoutingLeg.PREFILL;
            case DECODE -> RoutingLeg.DECODE;
            case AGGREGATED -> RoutingLeg.AGGREGATED;
        };
    }

    private static int blockSize(LiveWorker worker) {
        int size = worker.capacity().blockSize();
        return size > 0 ? size : 1;
    }
}
