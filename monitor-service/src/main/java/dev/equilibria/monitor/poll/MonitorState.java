package dev.equilibria.monitor.poll;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * What the poll loop publishes to readers: the latest snapshot, a bounded history of series points, and a stream of
 * snapshots for the dashboard's subscribers (each new subscriber gets the latest one at once). Thread-safe.
 */
public final class MonitorState {

    private final int historySize;
    private final Deque<SeriesPoint> history = new ArrayDeque<>();
    private final Sinks.Many<DashboardSnapshot> stream = Sinks.many().replay().latest();
    private volatile DashboardSnapshot latest;

    public MonitorState(int historySize) {
        this.historySize = historySize;
    }

    /** Called by the poll loop only, so emissions never race. */
    public void publish(DashboardSnapshot snapshot) {
        synchronized (history) {
            history.addLast(snapshot.point());
            while (history.size() > historySize) {
                history.removeFirst();
            }
        }
        latest = snapshot;
        stream.tryEmitNext(snapshot);
    }

    /** The latest snapshot, or null before the first poll. */
    public DashboardSnapshot latest() {
        return latest;
    }

    /** Kept points, oldest first; at most {@code limit} of the newest. */
    public List<SeriesPoint> history(int limit) {
        synchronized (history) {
            List<SeriesPoint> all = List.copyOf(history);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }
    }

    public Flux<DashboardSnapshot> stream() {
        return stream.asFlux();
    }

    /** Ends the stream, so open dashboard connections close on shutdown. */
    public void complete() {
        stream.tryEmitComplete();
    }
}
