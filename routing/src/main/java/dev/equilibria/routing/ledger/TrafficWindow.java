package dev.equilibria.routing.ledger;

import dev.equilibria.protocol.WorkerRole;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Legs dispatched per worker over a sliding window (a ring of time buckets), for each worker's recent share of its
 * pool's traffic in the admin API. Thread-safe.
 */
public final class TrafficWindow {

    /** Default window: the last minute. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    private static final int BUCKETS = 12;

    private final InstantSource clock;
    private final long bucketMillis;
    private final Map<WorkerRole, Map<String, long[]>> counts = new EnumMap<>(WorkerRole.class);
    private final long[] bucketStart = new long[BUCKETS];

    public TrafficWindow(InstantSource clock) {
        this(clock, DEFAULT_WINDOW);
    }

    public TrafficWindow(InstantSource clock, Duration window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (window == null || window.toMillis() < BUCKETS) {
            throw new IllegalArgumentException("traffic window must be at least " + BUCKETS + " ms, got " + window);
        }
        this.bucketMillis = window.toMillis() / BUCKETS;
        java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
    }

    public synchronized void record(WorkerRole leg, String workerId) {
        int bucket = current();
        counts.computeIfAbsent(leg, l -> new HashMap<>()).computeIfAbsent(workerId, id -> new long[BUCKETS])[bucket]++;
    }

    /** Each worker's fraction of the leg's dispatches in the window, ordered by worker id. */
    public synchronized Map<String, Double> shares(WorkerRole leg) {
        return shares(counts(leg));
    }

    /** Dispatches of the leg per worker in the window, ordered by worker id; workers with none left out. */
    public synchronized Map<String, Long> counts(WorkerRole leg) {
        current();
        Map<String, Long> totals = new TreeMap<>();
        for (Map.Entry<String, long[]> e : counts.getOrDefault(leg, Map.of()).entrySet()) {
            long sum = 0;
            for (long c : e.getValue()) {
                sum += c;
            }
            if (sum > 0) {
                totals.put(e.getKey(), sum);
            }
        }
        return totals;
    }

    /** Each worker's fraction of the given counts. */
    public static Map<String, Double> shares(Map<String, Long> counts) {
        long all = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> shares = new TreeMap<>();
        counts.forEach((id, n) -> shares.put(id, (double) n / all));
        return shares;
    }

    /** Index of the bucket for now, emptying buckets that fell out of the window. */
    private int current() {
        long now = clock.millis();
        long start = Math.floorDiv(now, bucketMillis) * bucketMillis;
        int index = (int) Math.floorMod(Math.floorDiv(now, bucketMillis), (long) BUCKETS);
        for (int b = 0; b < BUCKETS; b++) {
            if (bucketStart[b] != Long.MIN_VALUE && start - bucketStart[b] >= BUCKETS * bucketMillis) {
                clear(b);
            }
        }
        if (bucketStart[index] != start) {
            clear(index);
            bucketStart[index] = start;
        }
        return index;
    }

    private void clear(int bucket) {
        bucketStart[bucket] = Long.MIN_VALUE;
        counts.values().forEach(byWorker -> byWorker.values().forEach(c -> c[bucket] = 0));
    }
}
