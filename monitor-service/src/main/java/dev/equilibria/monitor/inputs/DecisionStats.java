package dev.equilibria.monitor.inputs;

import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Routing decisions over the last {@code rate-window}: the arrival rate (prefill and aggregated legs, one per
 * request) as the offered load, and each worker's share of its leg's traffic. Receive times; thread-safe.
 */
public final class DecisionStats {

    /** Decisions kept in the window at most. */
    public static final int MAX_WINDOW_DECISIONS = 200_000;

    private record Entry(long atMs, RoutingLeg leg, String worker) {
    }

    private final long windowMs;
    private final Deque<Entry> window = new ArrayDeque<>();
    private long firstMs = -1;

    public DecisionStats(long windowMs) {
        this.windowMs = windowMs;
    }

    public synchronized void record(RoutingDecision d, long nowMs) {
        window.addLast(new Entry(nowMs, d.leg(), d.chosenWorker()));
        while (window.size() > MAX_WINDOW_DECISIONS) {
            window.removeFirst();
        }
        if (firstMs < 0) {
            firstMs = nowMs;
        }
    }

    /** New requests per second: prefill and aggregated decisions (a disaggregated request logs both legs). */
    public synchronized double arrivalsPerSecond(long nowMs) {
        trim(nowMs);
        if (firstMs < 0) {
            return Double.NaN;
        }
        long arrivals = window.stream().filter(e -> e.leg() != RoutingLeg.DECODE).count();
        if (arrivals == 0 && window.isEmpty()) {
            return 0;
        }
        return arrivals / Math.max(1.0, Math.min(windowMs, nowMs - firstMs) / 1000.0);
    }

    /** Whether any decision was ever seen. */
    public synchronized boolean seen() {
        return firstMs >= 0;
    }

    public synchronized int decisions(long nowMs) {
        trim(nowMs);
        return window.size();
    }

    /** Per leg, each chosen worker's share of that leg's decisions in the window. */
    public synchronized Map<RoutingLeg, Map<String, Double>> shares(long nowMs) {
        trim(nowMs);
        Map<RoutingLeg, Map<String, Integer>> counts = new EnumMap<>(RoutingLeg.class);
        for (Entry e : window) {
            if (e.worker() != null) {
                counts.computeIfAbsent(e.leg(), l -> new TreeMap<>()).merge(e.worker(), 1, Integer::sum);
            }
        }
        Map<RoutingLeg, Map<String, Double>> shares = new EnumMap<>(RoutingLeg.class);
        counts.forEach((leg, byWorker) -> {
            double total = byWorker.values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Double> s = new TreeMap<>();
            byWorker.forEach((w, c) -> s.put(w, c / total));
            shares.put(leg, s);
        });
        return shares;
    }

    private void trim(long nowMs) {
        long oldest = nowMs - windowMs;
        while (!window.isEmpty() && window.peekFirst().atMs() < oldest) {
            window.removeFirst();
        }
    }
}
