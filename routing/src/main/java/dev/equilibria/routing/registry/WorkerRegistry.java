package dev.equilibria.routing.registry;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The set of live workers, folded from their heartbeats. A worker is live while its latest heartbeat is at most
 * {@code heartbeat_ttl} old, measured on this registry's clock at receipt, so clock skew between hosts does not
 * matter. Thread-safe; expired workers are dropped lazily on every read.
 *
 * <p>Silence of the whole heartbeat feed (the broker is down) is not the death of every worker: while the feed is
 * marked down ({@link #feedDown()}), ages are measured up to the last heartbeat received from anyone, so the workers
 * live then stay live with their last known state. When the feed is back ({@link #feedUp()}), every worker gets a
 * fresh {@code heartbeat_ttl} from that moment to be heard again.
 */
public final class WorkerRegistry {

    /** Default {@code heartbeat_ttl}: workers beat about once a second, so three missed beats mean gone. */
    public static final Duration DEFAULT_HEARTBEAT_TTL = Duration.ofSeconds(3);

    /** An expired worker's entry is forgotten this many TTLs after it expired. */
    static final int EVICT_AFTER_TTLS = 10;

    private static final Comparator<LiveWorker> BY_ID = Comparator.comparing(LiveWorker::workerId);

    private final InstantSource clock;
    private final Duration heartbeatTtl;
    private final ConcurrentMap<String, LiveWorker> workers = new ConcurrentHashMap<>();
    /** When the last heartbeat from any worker arrived; null before the first. */
    private volatile Instant lastHeartbeatAt;
    /** Liveness is judged at this instant while the feed is down; null while it is up. */
    private volatile Instant frozenAt;
    /** A worker last heard before this instant counts as heard now (set when the feed comes back). */
    private volatile Instant feedBackAt;

    public WorkerRegistry(InstantSource clock) {
        this(clock, DEFAULT_HEARTBEAT_TTL);
    }

    public WorkerRegistry(InstantSource clock, Duration heartbeatTtl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (heartbeatTtl == null || heartbeatTtl.isNegative() || heartbeatTtl.isZero()) {
            throw new IllegalArgumentException("heartbeat_ttl must be positive, got " + heartbeatTtl);
        }
        this.heartbeatTtl = heartbeatTtl;
    }

    public Duration heartbeatTtl() {
        return heartbeatTtl;
    }

    /**
     * Folds one heartbeat in. A heartbeat older (by the worker's own timestamp) than the one already held is
     * ignored, so a late duplicate cannot roll a worker's state back.
     *
     * @return the worker as now registered
     * @throws IllegalArgumentException when the heartbeat lacks a field the fleet needs, naming the field
     */
    public LiveWorker onHeartbeat(WorkerHeartbeat heartbeat) {
        validate(heartbeat);
        Instant now = clock.instant();
        lastHeartbeatAt = now;
        return workers.compute(heartbeat.workerId(), (id, previous) -> {
            boolean continuing = previous != null && !expired(previous, now);
            if (continuing && heartbeat.timestampMs() < previous.heartbeat().timestampMs()) {
                return previous;
            }
            return new LiveWorker(heartbeat, continuing ? previous.firstSeen() : now, now);
        });
    }

    /** Every live worker, draining ones included, ordered by worker id. */
    public List<LiveWorker> live() {
        Instant now = clock.instant();
        evictExpired(now);
        return workers.values().stream().filter(w -> !expired(w, now)).sorted(BY_ID).toList();
    }

    /**
     * Workers that may take new work for a leg of a request for {@code model}: live, not draining, and of the leg's
     * role or aggregated. Ordered by worker id, so selectors see a stable order.
     */
    public List<LiveWorker> available(WorkerRole leg, String model) {
        Objects.requireNonNull(leg, "leg");
        return live().stream()
                .filter(w -> !w.draining() && w.canServe(leg) && w.model().equals(model))
                .toList();
    }

    public Optional<LiveWorker> find(String workerId) {
        return live().stream().filter(w -> w.workerId().equals(workerId)).findFirst();
    }

    /** Live workers per role, draining ones included; every role is present, possibly with zero. */
    public Map<WorkerRole, Integer> countByRole() {
        Map<WorkerRole, Integer> counts = new EnumMap<>(WorkerRole.class);
        for (WorkerRole role : WorkerRole.values()) {
            counts.put(role, 0);
        }
        live().forEach(w -> counts.merge(w.role(), 1, Integer::sum));
        return counts;
    }

    /** The models live workers announce, by name. */
    public List<ServedModel> models() {
        Map<String, ServedModel> byName = new TreeMap<>();
        for (LiveWorker w : live()) {
            ServedModel seen = new ServedModel(w.model(), w.capacity().maxModelLen(), w.firstSeen(), 1);
            byName.merge(w.model(), seen, (a, b) -> new ServedModel(a.name(),
                    Math.min(a.maxModelLen(), b.maxModelLen()),
                    a.since().isBefore(b.since()) ? a.since() : b.since(),
                    a.workers() + b.workers()));
        }
        return List.copyOf(byName.values());
    }

    public Optional<ServedModel> model(String name) {
        return models().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * The heartbeat feed itself is down (the broker cannot be reached): keep every worker that was live when the
     * last heartbeat arrived, whatever the time now. Idempotent.
     */
    public void feedDown() {
        if (frozenAt == null) {
            Instant last = lastHeartbeatAt;
            frozenAt = last != null ? last : clock.instant();
        }
    }

    /** The feed is back: ages count again, from now for workers not heard since. Idempotent. */
    public void feedUp() {
        if (frozenAt != null) {
            feedBackAt = clock.instant();
            frozenAt = null;
        }
    }

    /** Whether liveness is frozen because the heartbeat feed is down. */
    public boolean feedIsDown() {
        return frozenAt != null;
    }

    private boolean expired(LiveWorker worker, Instant now) {
        Instant frozen = frozenAt;
        Instant judgedAt = frozen != null && frozen.isBefore(now) ? frozen : now;
        Instant seen = worker.lastSeen();
        Instant back = feedBackAt;
        if (back != null && seen.isBefore(back)) {
            seen = back;
        }
        return judgedAt.isAfter(seen.plus(heartbeatTtl));
    }

    private void evictExpired(Instant now) {
        // kept a while past expiry, so a feed outage noticed late can still bring them back (see feedDown);
        // remove(key, value) only drops the exact entry judged expired, never a concurrent refresh
        Instant horizon = now.minus(heartbeatTtl.multipliedBy(EVICT_AFTER_TTLS));
        workers.forEach((id, worker) -> {
            if (frozenAt == null && expired(worker, horizon)) {
                workers.remove(id, worker);
            }
        });
    }

    private static void validate(WorkerHeartbeat heartbeat) {
        Objects.requireNonNull(heartbeat, "heartbeat");
        requireText(heartbeat.workerId(), "worker_id");
        requireText(heartbeat.endpoint(), "endpoint");
        requireText(heartbeat.model(), "model");
        if (heartbeat.role() == null) {
            throw new IllegalArgumentException("heartbeat of " + heartbeat.workerId() + " has no role");
        }
        if (heartbeat.capacity() == null || heartbeat.capacity().maxModelLen() <= 0) {
            throw new IllegalArgumentException("heartbeat of " + heartbeat.workerId()
                    + " has no capacity.max_model_len > 0");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("heartbeat has no " + field);
        }
    }
}
