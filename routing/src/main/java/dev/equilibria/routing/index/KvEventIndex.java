package dev.equilibria.routing.index;

import dev.equilibria.protocol.event.KvEvent;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Mirrors every worker's prefix cache from its KV events. Each worker's events carry consecutive sequence numbers:
 * the next one is applied, a repeated one ignored, and a jump (missed events) leaves the mirror applied best-effort
 * but marked out of sync until the worker's snapshot (an {@code AllCleared} followed by its stored blocks) arrives.
 * {@link #snapshotsDue()} lists the workers to ask for one, at most once per {@code snapshot_retry} each.
 * Thread-safe: one writer (the event consumer) and many readers (routing decisions).
 *
 * <p><b>Staleness.</b> While the event stream is marked stale ({@link #markStale()}: the broker cannot be reached, so
 * no event can arrive), the mirror is the last known state and an {@link ApproximateKvIndex} learns from this
 * router's own decisions on top of it: a worker's overlap is the larger of the two. When the stream is fresh again
 * ({@link #markFresh()}) the approximate layer is dropped, since the events delayed by the outage (or a snapshot,
 * after a gap) describe the caches exactly again.
 */
public final class KvEventIndex implements KvIndex {

    /** Default {@code snapshot_retry}: how long to wait for a requested snapshot before asking again. */
    public static final Duration DEFAULT_SNAPSHOT_RETRY = Duration.ofSeconds(2);

    private final InstantSource clock;
    private final Duration snapshotRetry;
    private final BlockTable blocks = new BlockTable();
    private final Map<String, WorkerLog> logs = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Learns from routing decisions while the stream is stale; null while it is fresh. */
    private volatile ApproximateKvIndex staleLayer;

    public KvEventIndex(InstantSource clock) {
        this(clock, DEFAULT_SNAPSHOT_RETRY);
    }

    public KvEventIndex(InstantSource clock, Duration snapshotRetry) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (snapshotRetry == null || snapshotRetry.isNegative() || snapshotRetry.isZero()) {
            throw new IllegalArgumentException("snapshot_retry must be positive, got " + snapshotRetry);
        }
        this.snapshotRetry = snapshotRetry;
    }

    @Override
    public String mode() {
        return EVENTS;
    }

    /** Applies one worker's event; see {@link KvApplyResult}. */
    public KvApplyResult apply(KvEvent event) {
        Objects.requireNonNull(event, "event");
        lock.writeLock().lock();
        try {
            WorkerLog log = logs.computeIfAbsent(event.workerId(), id -> new WorkerLog());
            int slot = blocks.slot(event.workerId());
            if (event instanceof KvEvent.AllCleared) {
                // a snapshot's first event; seq 1 is a restarted worker, which resets whatever we held
                if (log.lastSeq >= 0 && event.seq() <= log.lastSeq && event.seq() != 1) {
                    return KvApplyResult.DUPLICATE;
                }
                blocks.clear(slot);
                log.lastSeq = event.seq();
                log.synced = true;
                log.snapshotRequestedAt = null;
                return KvApplyResult.APPLIED;
            }
            if (log.lastSeq >= 0 && event.seq() <= log.lastSeq) {
                return KvApplyResult.DUPLICATE;
            }
            if (log.lastSeq < 0 || event.seq() != log.lastSeq + 1) {
                log.synced = false; // first event heard mid-stream, or events missed
            }
            log.lastSeq = event.seq();
            if (event instanceof KvEvent.BlocksStored stored) {
                for (Long hash : stored.blockHashes()) {
                    blocks.store(slot, hash);
                }
            } else if (event instanceof KvEvent.BlocksRemoved removed) {
                for (Long hash : removed.blockHashes()) {
                    blocks.remove(slot, hash);
                }
            }
            return log.synced ? KvApplyResult.APPLIED : KvApplyResult.OUT_OF_SYNC;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Workers whose mirror is out of sync and who have not been asked for a snapshot within {@code snapshot_retry};
     * they are recorded as asked now, so the caller must send the requests.
     */
    public List<String> snapshotsDue() {
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        lock.writeLock().lock();
        try {
            logs.forEach((id, log) -> {
                if (!log.synced && (log.snapshotRequestedAt == null
                        || !now.isBefore(log.snapshotRequestedAt.plus(snapshotRetry)))) {
                    log.snapshotRequestedAt = now;
                    due.add(id);
                }
            });
        } finally {
            lock.writeLock().unlock();
        }
        due.sort(null);
        return due;
    }

    /** Whether the worker's mirror is known to be exact; empty for a worker never heard of. */
    public Optional<Boolean> synced(String workerId) {
        lock.readLock().lock();
        try {
            WorkerLog log = logs.get(workerId);
            return log == null ? Optional.empty() : Optional.of(log.synced);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sequence number of the last event applied for the worker, or -1. */
    public long lastSeq(String workerId) {
        lock.readLock().lock();
        try {
            WorkerLog log = logs.get(workerId);
            return log == null ? -1 : log.lastSeq;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The hashes mirrored for one worker, in no particular order (for tests and diagnostics). */
    public List<Long> blocksOf(String workerId) {
        lock.readLock().lock();
        try {
            return blocks.blocksOf(workerId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Forgets a worker and its blocks. */
    public void removeWorker(String workerId) {
        lock.writeLock().lock();
        try {
            blocks.drop(workerId);
            logs.remove(workerId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Collection<String> reconcile(Set<String> liveWorkers) {
        List<String> dropped = new ArrayList<>();
        lock.writeLock().lock();
        try {
            for (String id : List.copyOf(logs.keySet())) {
                if (!liveWorkers.contains(id)) {
                    blocks.drop(id);
                    logs.remove(id);
                    dropped.add(id);
                }
            }
            for (String id : liveWorkers) {
                // a worker heard of only by heartbeat may hold blocks from before we started: ask for its snapshot
                logs.computeIfAbsent(id, unknown -> new WorkerLog());
            }
        } finally {
            lock.writeLock().unlock();
        }
        return dropped;
    }

    @Override
    public int[] overlaps(PrefixHashes blockHashes, List<String> workerIds) {
        int[] mirrored;
        lock.readLock().lock();
        try {
            mirrored = blocks.overlaps(blockHashes, workerIds);
        } finally {
            lock.readLock().unlock();
        }
        ApproximateKvIndex layer = staleLayer;
        if (layer != null) {
            int[] learned = layer.overlaps(blockHashes, workerIds);
            for (int i = 0; i < mirrored.length; i++) {
                mirrored[i] = Math.max(mirrored[i], learned[i]);
            }
        }
        return mirrored;
    }

    @Override
    public void onRouted(String workerId, long[] blockHashes) {
        // the workers' own events say what they cache, unless they cannot reach us
        ApproximateKvIndex layer = staleLayer;
        if (layer != null) {
            layer.onRouted(workerId, blockHashes);
        }
    }

    /** No event can arrive now (the broker is unreachable): learn from routing decisions on top of the mirror. */
    public synchronized void markStale() {
        if (staleLayer == null) {
            staleLayer = new ApproximateKvIndex(clock);
        }
    }

    /** Events arrive again: drop what was learned from routing decisions. */
    public synchronized void markFresh() {
        staleLayer = null;
    }

    /** Marks every worker's mirror out of sync, so each is asked for a snapshot (after a broker outage). */
    public void resyncAll() {
        lock.writeLock().lock();
        try {
            logs.values().forEach(log -> {
                log.synced = false;
                log.snapshotRequestedAt = null;
            });
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the mirror is marked stale. */
    public boolean stale() {
        return staleLayer != null;
    }

    @Override
    public int cachedBlocks(String workerId) {
        lock.readLock().lock();
        try {
            return blocks.cachedBlocks(workerId);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<String, Integer> blockCounts() {
        lock.readLock().lock();
        try {
            Map<String, Integer> counts = new TreeMap<>(blocks.blockCounts());
            logs.keySet().forEach(id -> counts.putIfAbsent(id, 0));
            return counts;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Distinct block hashes cached on at least one worker. */
    public int distinctBlocks() {
        lock.readLock().lock();
        try {
            return blocks.distinctBlocks();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Per worker: the last sequence number applied and whether the mirror is exact. */
    private static final class WorkerLog {
        long lastSeq = -1;
        boolean synced;
        Instant snapshotRequestedAt;
    }
}
