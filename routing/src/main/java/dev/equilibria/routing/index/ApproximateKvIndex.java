package dev.equilibria.routing.index;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A KV index for fleets whose workers publish no KV events: it assumes a worker caches the blocks of every request
 * this router sent it, for {@code approximate_ttl} after the last such request (Dynamo's approximate mode). Blind to
 * evictions and to other gateway replicas' traffic, so it is a fallback, not the default. Thread-safe.
 */
public final class ApproximateKvIndex implements KvIndex {

    /** Default {@code approximate_ttl}: about how long a block stays cached on a busy worker. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(120);

    private final InstantSource clock;
    private final long ttlMillis;
    private final BlockTable blocks = new BlockTable();
    /** Per worker slot, the expiry of each hash it is believed to cache. */
    private final Map<String, Map<Long, Long>> expiries = new HashMap<>();
    /** Routed requests in expiry order, for purging. */
    private final ArrayDeque<Routed> byExpiry = new ArrayDeque<>();

    public ApproximateKvIndex(InstantSource clock) {
        this(clock, DEFAULT_TTL);
    }

    public ApproximateKvIndex(InstantSource clock, Duration ttl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("approximate_ttl must be positive, got " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public String mode() {
        return APPROXIMATE;
    }

    @Override
    public synchronized void onRouted(String workerId, long[] blockHashes) {
        long now = clock.millis();
        purge(now);
        long expiry = now + ttlMillis;
        int slot = blocks.slot(workerId);
        Map<Long, Long> expiryOf = expiries.computeIfAbsent(workerId, id -> new HashMap<>());
        for (long hash : blockHashes) {
            blocks.store(slot, hash);
            expiryOf.put(hash, expiry);
        }
        byExpiry.add(new Routed(expiry, workerId, blockHashes.clone()));
    }

    @Override
    public synchronized int[] overlaps(PrefixHashes blockHashes, List<String> workerIds) {
        purge(clock.millis());
        return blocks.overlaps(blockHashes, workerIds);
    }

    @Override
    public synchronized int cachedBlocks(String workerId) {
        purge(clock.millis());
        return blocks.cachedBlocks(workerId);
    }

    @Override
    public synchronized Map<String, Integer> blockCounts() {
        purge(clock.millis());
        return blocks.blockCounts();
    }

    @Override
    public synchronized Collection<String> reconcile(Set<String> liveWorkers) {
        List<String> dropped = new ArrayList<>();
        for (String id : blocks.workers()) {
            if (!liveWorkers.contains(id)) {
                blocks.drop(id);
                expiries.remove(id);
                dropped.add(id);
            }
        }
        return dropped;
    }

    private void purge(long now) {
        while (!byExpiry.isEmpty() && byExpiry.peekFirst().expiryMillis() <= now) {
            Routed routed = byExpiry.pollFirst();
            Map<Long, Long> expiryOf = expiries.get(routed.workerId());
            if (expiryOf == null) {
                continue; // the worker was dropped
            }
            int slot = blocks.slot(routed.workerId());
            for (long hash : routed.hashes()) {
                Long expiry = expiryOf.get(hash);
                // a later request for the same block extended its life
                if (expiry != null && expiry <= now) {
                    expiryOf.remove(hash);
                    blocks.remove(slot, hash);
                }
            }
        }
    }

    private record Routed(long expiryMillis, String workerId, long[] hashes) {
    }
}
