package dev.equilibria.monitor.inputs;

import dev.equilibria.protocol.event.WorkerLoad;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The newest load report of each worker, with when this monitor received it. Thread-safe. */
public final class WorkerLoadBoard {

    /** A load report and its receive time. */
    public record Report(WorkerLoad load, long receivedMs) {
    }

    private final ConcurrentMap<String, Report> latest = new ConcurrentHashMap<>();

    /** Keeps the report unless one with a later worker timestamp is already held. */
    public void record(WorkerLoad load, long nowMs) {
        latest.merge(load.workerId(), new Report(load, nowMs),
                (old, now) -> now.load().timestampMs() >= old.load().timestampMs() ? now : old);
    }

    /** Reports received at most {@code maxAgeMs} ago, by worker id; older ones are dropped. */
    public List<Report> fresh(long nowMs, long maxAgeMs) {
        latest.values().removeIf(r -> nowMs - r.receivedMs() > maxAgeMs);
        return latest.values().stream().sorted(Comparator.comparing(r -> r.load().workerId())).toList();
    }
}
