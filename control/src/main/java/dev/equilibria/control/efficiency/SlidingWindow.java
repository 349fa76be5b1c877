package dev.equilibria.control.efficiency;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The latest values, at most {@code maxSamples} of them and none older than {@code horizonMillis} before the time
 * the caller passes. Not thread-safe; the trackers guard it.
 */
final class SlidingWindow<T> {

    private record Entry<T>(long timestampMs, T value) {
    }

    private final WindowLimits limits;
    private final Deque<Entry<T>> entries = new ArrayDeque<>();

    SlidingWindow(WindowLimits limits) {
        this.limits = limits;
    }

    void add(long timestampMs, T value) {
        entries.addLast(new Entry<>(timestampMs, value));
        while (entries.size() > limits.maxSamples()) {
            entries.removeFirst();
        }
    }

    List<T> values(long nowMs) {
        long oldest = nowMs - limits.horizonMillis();
        // Entries arrive roughly in time order; several gateways may interleave a little, so filter rather than
        // trust the order when reading.
        entries.removeIf(e -> e.timestampMs() < oldest);
        return entries.stream().map(Entry::value).toList();
    }
}
