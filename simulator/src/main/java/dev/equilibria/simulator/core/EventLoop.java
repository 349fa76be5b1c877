package dev.equilibria.simulator.core;

import java.util.PriorityQueue;

/**
 * A discrete-event loop: actions run in time order, ties in the order they were scheduled, so a run is a pure
 * function of its inputs and seed. Single-threaded; actions may schedule more actions.
 */
public final class EventLoop {

    private final VirtualClock clock = new VirtualClock();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long scheduled;
    private long executed;

    public VirtualClock clock() {
        return clock;
    }

    public long now() {
        return clock.nowNanos();
    }

    /** Runs {@code action} at {@code atNanos} (or now, if that is in the past). */
    public void at(long atNanos, Runnable action) {
        queue.add(new Event(Math.max(atNanos, clock.nowNanos()), scheduled++, action));
    }

    public void after(long delayNanos, Runnable action) {
        at(clock.nowNanos() + delayNanos, action);
    }

    /** Runs events until none is left or the next one lies beyond {@code untilNanos}; time ends at that bound. */
    public void runUntil(long untilNanos, Progress progress) {
        while (!queue.isEmpty() && queue.peek().atNanos <= untilNanos) {
            Event event = queue.poll();
            clock.advanceTo(event.atNanos);
            event.action.run();
            executed++;
            if ((executed & 0xFFFF) == 0) {
                progress.update(clock.nowNanos(), untilNanos);
            }
        }
        if (untilNanos != Long.MAX_VALUE && clock.nowNanos() < untilNanos) {
            clock.advanceTo(untilNanos);
        }
        progress.update(clock.nowNanos(), untilNanos);
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public long executedEvents() {
        return executed;
    }

    private record Event(long atNanos, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(atNanos, other.atNanos);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /** Told how far a run has got, for a progress bar. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (now, until) -> { };

        void update(long nowNanos, long untilNanos);
    }
}
