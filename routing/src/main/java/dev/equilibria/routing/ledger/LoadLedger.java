package dev.equilibria.routing.ledger;

import dev.equilibria.protocol.event.LedgerDelta;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The router's own count of in-flight load per worker: uncached prefill tokens waiting for their first token and KV
 * blocks of decoding sequences, updated at dispatch, first token and completion, so a decision never waits for a
 * worker's scraped metrics. Several gateway replicas share their counts: each publishes its own share as
 * {@link LedgerDelta}s ({@link #nextDelta()}) and folds in the others' ({@link #apply}); a replica silent for
 * {@code peer_ttl} is dropped with its share. Thread-safe.
 */
public final class LoadLedger {

    /** Default {@code peer_ttl}: a replica whose deltas stop for this long is gone, and so is its load. */
    public static final Duration DEFAULT_PEER_TTL = Duration.ofSeconds(3);
    /** Default {@code keepalive_interval}: a replica with no change sends its full share this often. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofMillis(100);

    private final String gatewayId;
    private final InstantSource clock;
    private final Duration peerTtl;
    private final long keepaliveMillis;
    private final Map<String, long[]> local = new HashMap<>();
    private final TreeSet<String> dirty = new TreeSet<>();
    private final Map<String, Peer> peers = new HashMap<>();
    private final long epoch;
    private long seq;
    private long lastSentMillis;
    private boolean sentFull;

    public LoadLedger(String gatewayId, InstantSource clock) {
        this(gatewayId, clock, DEFAULT_PEER_TTL, DEFAULT_KEEPALIVE_INTERVAL);
    }

    public LoadLedger(String gatewayId, InstantSource clock, Duration peerTtl, Duration keepaliveInterval) {
        if (gatewayId == null || gatewayId.isBlank()) {
            throw new IllegalArgumentException("gateway id must not be blank");
        }
        this.gatewayId = gatewayId;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.peerTtl = positive(peerTtl, "peer_ttl");
        this.keepaliveMillis = positive(keepaliveInterval, "keepalive_interval").toMillis();
        this.epoch = clock.millis();
    }

    public String gatewayId() {
        return gatewayId;
    }

    /**
     * Counts a leg dispatched to a worker.
     *
     * @param prefillTokens uncached prompt tokens the worker must prefill (0 for a decode leg)
     * @param decodeBlocks  KV blocks the sequence holds while decoding there (0 for a prefill leg)
     */
    public Reservation reserve(String workerId, long prefillTokens, long decodeBlocks) {
        Objects.requireNonNull(workerId, "workerId");
        if (prefillTokens < 0 || decodeBlocks < 0) {
            throw new IllegalArgumentException("load must not be negative");
        }
        synchronized (this) {
            add(workerId, prefillTokens, decodeBlocks, 1);
        }
        return new Held(workerId, prefillTokens, decodeBlocks);
    }

    /** This replica's load plus every live peer's, for one worker. */
    public synchronized WorkerLoad load(String workerId) {
        expirePeers();
        return total(workerId);
    }

    /** {@link #load} for each worker, in order, under one lock. */
    public synchronized WorkerLoad[] loads(List<String> workerIds) {
        expirePeers();
        WorkerLoad[] loads = new WorkerLoad[workerIds.size()];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = total(workerIds.get(i));
        }
        return loads;
    }

    /** This replica's own share of one worker's load. */
    public synchronized WorkerLoad localLoad(String workerId) {
        return toLoad(local.get(workerId));
    }

    /** Total load per worker with any, ordered by worker id. */
    public synchronized Map<String, WorkerLoad> snapshot() {
        expirePeers();
        TreeSet<String> workers = new TreeSet<>(local.keySet());
        peers.values().forEach(p -> workers.addAll(p.shares.keySet()));
        Map<String, WorkerLoad> all = new TreeMap<>();
        for (String id : workers) {
            WorkerLoad load = total(id);
            if (!load.isZero()) {
                all.put(id, load);
            }
        }
        return all;
    }

    /**
     * The delta to publish now: this replica's share of every worker whose share changed since the last delta; or,
     * when nothing changed for {@code keepalive_interval} (and for the very first delta), the full share, which
     * repairs a lost delta and keeps peers' staleness low. Empty when there is nothing to send yet.
     */
    public synchronized Optional<LedgerDelta> nextDelta() {
        long now = clock.millis();
        if (!sentFull || (dirty.isEmpty() && now - lastSentMillis >= keepaliveMillis)) {
            return Optional.of(fullDelta(now));
        }
        if (dirty.isEmpty()) {
            return Optional.empty();
        }
        List<LedgerDelta.WorkerShare> shares = new ArrayList<>();
        for (String id : dirty) {
            shares.add(share(id, local.get(id)));
        }
        dirty.clear();
        lastSentMillis = now;
        return Optional.of(new LedgerDelta(gatewayId, epoch, ++seq, now, false, shares));
    }

    private LedgerDelta fullDelta(long now) {
        List<LedgerDelta.WorkerShare> shares = new ArrayList<>();
        new TreeMap<>(local).forEach((id, counts) -> shares.add(share(id, counts)));
        dirty.clear();
        sentFull = true;
        lastSentMillis = now;
        return new LedgerDelta(gatewayId, epoch, ++seq, now, true, shares);
    }

    /**
     * Folds in another replica's delta. Ignores this replica's own deltas and any delta older than the last one
     * applied from that replica: an older epoch, or the same epoch and a sequence number not above the last. A newer
     * epoch is a restarted replica, which starts over.
     *
     * @return true when applied
     */
    public synchronized boolean apply(LedgerDelta delta) {
        Objects.requireNonNull(delta, "delta");
        if (gatewayId.equals(delta.gatewayId())) {
            return false;
        }
        Instant now = clock.instant();
        expirePeers();
        Peer peer = peers.get(delta.gatewayId());
        if (peer != null && (delta.epoch() < peer.epoch
                || delta.epoch() == peer.epoch && delta.seq() <= peer.lastSeq)) {
            return false;
        }
        if (peer == null) {
            peer = new Peer();
            peers.put(delta.gatewayId(), peer);
        }
        if (delta.epoch() > peer.epoch) {
            peer.shares.clear(); // a restarted replica holds nothing from its previous run
            peer.epoch = delta.epoch();
        }
        if (delta.full()) {
            peer.shares.clear();
        }
        for (LedgerDelta.WorkerShare share : delta.workers()) {
            WorkerLoad load = new WorkerLoad(share.prefillTokens(), share.decodeBlocks(), share.requests());
            if (load.isZero()) {
                peer.shares.remove(share.workerId());
            } else {
                peer.shares.put(share.workerId(), load);
            }
        }
        peer.lastSeq = delta.seq();
        peer.lastTimestampMs = delta.timestampMs();
        peer.receivedAt = now;
        return true;
    }

    /** The live peers, ordered by gateway id. */
    public synchronized List<PeerView> peers() {
        expirePeers();
        long now = clock.millis();
        List<PeerView> views = new ArrayList<>();
        new TreeMap<>(peers).forEach((id, peer) -> views.add(new PeerView(id, peer.lastSeq,
                Duration.ofMillis(Math.max(0, now - peer.lastTimestampMs)), peer.shares.size())));
        return views;
    }

    /** Workers this replica has load on. */
    public synchronized Collection<String> localWorkers() {
        return List.copyOf(new TreeSet<>(local.keySet()));
    }

    private WorkerLoad total(String workerId) {
        WorkerLoad total = toLoad(local.get(workerId));
        for (Peer peer : peers.values()) {
            WorkerLoad share = peer.shares.get(workerId);
            if (share != null) {
                total = total.plus(share);
            }
        }
        return total;
    }

    private void add(String workerId, long prefillTokens, long decodeBlocks, int requests) {
        long[] counts = local.computeIfAbsent(workerId, id -> new long[3]);
        counts[0] += prefillTokens;
        counts[1] += decodeBlocks;
        counts[2] += requests;
        if (counts[0] == 0 && counts[1] == 0 && counts[2] == 0) {
            local.remove(workerId);
        }
        dirty.add(workerId);
    }

    private void expirePeers() {
        Instant oldest = clock.instant().minus(peerTtl);
        peers.values().removeIf(peer -> peer.receivedAt.isBefore(oldest));
    }

    private static WorkerLoad toLoad(long[] counts) {
        return counts == null ? WorkerLoad.NONE : new WorkerLoad(counts[0], counts[1], (int) counts[2]);
    }

    private static LedgerDelta.WorkerShare share(String workerId, long[] counts) {
        WorkerLoad load = toLoad(counts);
        return new LedgerDelta.WorkerShare(workerId, load.prefillTokens(), load.decodeBlocks(), load.requests());
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static final class Peer {
        final Map<String, WorkerLoad> shares = new HashMap<>();
        long epoch = Long.MIN_VALUE;
        long lastSeq;
        long lastTimestampMs;
        Instant receivedAt;
    }

    /** A reservation that gives back exactly what it took, once. */
    private final class Held implements Reservation {
        private final String workerId;
        private long prefillTokens;
        private long decodeBlocks;
        private boolean released;

        Held(String workerId, long prefillTokens, long decodeBlocks) {
            this.workerId = workerId;
            this.prefillTokens = prefillTokens;
            this.decodeBlocks = decodeBlocks;
        }

        @Override
        public String workerId() {
            return workerId;
        }

        @Override
        public void prefillDone() {
            synchronized (LoadLedger.this) {
                if (!released && prefillTokens > 0) {
                    add(workerId, -prefillTokens, 0, 0);
                    prefillTokens = 0;
                }
            }
        }

        @Override
        public void release() {
            synchronized (LoadLedger.this) {
                if (!released) {
                    released = true;
                    add(workerId, -prefillTokens, -decodeBlocks, -1);
                }
            }
        }
    }
}
