package dev.equilibria.monitor.inputs;

import dev.equilibria.control.efficiency.Percentiles;
import dev.equilibria.protocol.event.RequestRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Finished requests from the gateways' request records: the TTFTs since the last poll (the detector's TTFT P99) and
 * a sliding window of the last {@code rate-window} for the dashboard. Times are this monitor's receive times, so
 * clock skew between gateways does not matter. Thread-safe.
 */
public final class RequestStats {

    /** Records kept in the window at most, whatever its length. */
    public static final int MAX_WINDOW_RECORDS = 100_000;

    private record Entry(long atMs, boolean success, double ttftMs, double itlMs, int promptTokens, int cachedTokens) {
    }

    private final long windowMs;
    private final Deque<Entry> window = new ArrayDeque<>();
    private final List<Double> sincePoll = new ArrayList<>();
    private long firstMs = -1;

    public RequestStats(long windowMs) {
        this.windowMs = windowMs;
    }

    public synchronized void record(RequestRecord r, long nowMs) {
        boolean success = "success".equals(r.outcome());
        Entry e = new Entry(nowMs, success, r.ttftMs(), r.meanItlMs(), r.promptTokens(), r.cachedTokens());
        window.addLast(e);
        while (window.size() > MAX_WINDOW_RECORDS) {
            window.removeFirst();
        }
        if (firstMs < 0) {
            firstMs = nowMs;
        }
        if (Double.isFinite(r.ttftMs()) && r.ttftMs() >= 0) {
            sincePoll.add(r.ttftMs());
        }
    }

    /** TTFT P99 of the requests finished since the previous call; NaN when none did. */
    public synchronized double drainTtftP99Ms() {
        double p99 = Percentiles.of(sincePoll, 0.99);
        sincePoll.clear();
        return p99;
    }

    public synchronized RequestWindow window(long nowMs) {
        long oldest = nowMs - windowMs;
        while (!window.isEmpty() && window.peekFirst().atMs() < oldest) {
            window.removeFirst();
        }
        if (firstMs < 0) {
            return RequestWindow.EMPTY;
        }
        List<Double> ttfts = new ArrayList<>();
        double itlSum = 0;
        int itlCount = 0;
        long prompt = 0;
        long cached = 0;
        int errors = 0;
        for (Entry e : window) {
            if (!e.success()) {
                errors++;
            }
            if (Double.isFinite(e.ttftMs())) {
                ttfts.add(e.ttftMs());
            }
            if (Double.isFinite(e.itlMs())) {
                itlSum += e.itlMs();
                itlCount++;
            }
            prompt += e.promptTokens();
            cached += Math.min(e.cachedTokens(), e.promptTokens());
        }
        double span = Math.max(1.0, Math.min(windowMs, nowMs - firstMs) / 1000.0);
        return new RequestWindow(window.size(), errors, window.size() / span, Percentiles.of(ttfts, 0.5),
                Percentiles.of(ttfts, 0.99), itlCount == 0 ? Double.NaN : itlSum / itlCount,
                prompt == 0 ? Double.NaN : (double) cached / prompt);
    }
}
