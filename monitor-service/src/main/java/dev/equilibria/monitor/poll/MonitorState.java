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
    // replaced when the poll loop restarts: a completed sink would end every new subscriber's stream at once
    private volatile Sinks.Many<DashboardSnapshot> stream = Sinks.many().replay().latest();
    private volatile boolean completed;
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

    /** Snapshots from now on, starting with the latest; subscribers join the stream open when they subscribe. */
    public Flux<DashboardSnapshot> stream() {
        return Flux.defer(() -> stream.asFlux());
    }

    /** Ends the stream, so open dashboard connections close when the poll loop stops (and before shutdown). */
    public void complete() {
        stream.tryEmitComplete();
        completed = true;
    }

    /**
     * Opens a fresh stream after {@link #complete()}, replaying the latest snapshot, so a stopped and restarted poll
     * loop serves new subscribers again. Called by the poll loop only, like {@link #publish}.
     */
    public void reopen() {
        if (!completed) {
            return;
        }
        Sinks.Many<DashboardSnapshot> fresh = Sinks.many().replay().latest();
        DashboardSnapshot last = latest;
        if (last != null) {
            fresh.tryEmitNext(last);
        }
        stream = fresh;
        completed = false;
    }
}
