package dev.equilibria.routing.admission;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Admission in front of the router. A request goes through at once while some worker of its model has a free slot
 * (counting requests admitted but not yet dispatched, so a burst does not all pass on the same free slot); when
 * every worker is over its threshold it waits in a bounded FIFO queue; a full queue rejects it; a waiting request
 * whose deadline passes is expired. The caller polls ({@link #poll()}) when load drops and periodically; callbacks
 * run on the polling thread, outside the lock. Plain Java with an injected clock: it never sleeps.
 */
public final class AdmissionController {

    /** Default {@code queue_capacity}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;

    /** Free slots for a model's requests, from the live workers and the ledger. */
    @FunctionalInterface
    public interface CapacityProbe {
        int freeSlots(String model);
    }

    /** Hears how a queued request's wait ended. */
    public interface Listener {
        void admitted(Ticket ticket);

        void expired(Ticket ticket);
    }

    /** Where a request stands. */
    public enum State {
        ADMITTED, WAITING, REJECTED, EXPIRED, CANCELLED
    }

    private final int capacity;
    private final InstantSource clock;
    private final CapacityProbe probe;
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private final Map<String, Integer> undispatched = new HashMap<>();

    public AdmissionController(int queueCapacity, InstantSource clock, CapacityProbe probe) {
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queue_capacity must be >= 0, got " + queueCapacity);
        }
        this.capacity = queueCapacity;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /**
     * Admits, queues or rejects a request. A queued ticket later hears {@link Listener#admitted} or
     * {@link Listener#expired}; an admitted ticket must be {@link Ticket#dispatched()} once its first leg is in the
     * ledger (or the request ended).
     */
    public synchronized Ticket request(String model, Instant deadline, Listener listener) {
        Ticket ticket = new Ticket(model, deadline, listener, clock.instant());
        if (waiting.isEmpty() && hasRoom(model)) {
            admit(ticket);
        } else if (waiting.size() < capacity) {
            ticket.state = State.WAITING;
            waiting.addLast(ticket);
        } else {
            ticket.state = State.REJECTED;
        }
        return ticket;
    }

    /** Expires overdue waiters and admits waiters, in order, while their model has room. */
    public void poll() {
        List<Runnable> callbacks = new ArrayList<>();
        synchronized (this) {
            if (waiting.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            for (Iterator<Ticket> it = waiting.iterator(); it.hasNext(); ) {
                Ticket t = it.next();
                if (!now.isBefore(t.deadline)) {
                    it.remove();
                    t.state = State.EXPIRED;
                    t.waited = Duration.between(t.arrived, now);
                    callbacks.add(() -> t.listener.expired(t));
                }
            }
            while (!waiting.isEmpty() && hasRoom(waiting.peekFirst().model)) {
                Ticket t = waiting.pollFirst();
                t.waited = Duration.between(t.arrived, now);
                admit(t);
                callbacks.add(() -> t.listener.admitted(t));
            }
        }
        callbacks.forEach(Runnable::run);
    }

    /** Requests waiting now. */
    public synchronized int depth() {
        return waiting.size();
    }

    public int capacity() {
        return capacity;
    }

    private boolean hasRoom(String model) {
        return probe.freeSlots(model) - undispatched.getOrDefault(model, 0) > 0;
    }

    private void admit(Ticket ticket) {
        ticket.state = State.ADMITTED;
        undispatched.merge(ticket.model, 1, Integer::sum);
    }

    private synchronized void settle(Ticket ticket) {
        if (ticket.state == State.ADMITTED && !ticket.dispatched) {
            ticket.dispatched = true;
            undispatched.computeIfPresent(ticket.model, (m, n) -> n > 1 ? n - 1 : null);
        } else if (ticket.state == State.WAITING) {
            waiting.remove(ticket);
            ticket.state = State.CANCELLED;
        }
    }

    /** One request's place in admission. */
    public final class Ticket {
        private final String model;
        private final Instant deadline;
        private final Listener listener;
        private final Instant arrived;
        private volatile State state;
        private volatile Duration waited = Duration.ZERO;
        private boolean dispatched;

        private Ticket(String model, Instant deadline, Listener listener, Instant arrived) {
            this.model = Objects.requireNonNull(model, "model");
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            this.listener = Objects.requireNonNull(listener, "listener");
            this.arrived = arrived;
        }

        public State state() {
            return state;
        }

        /** Time spent in the queue (zero when admitted at once). */
        public Duration waited() {
            return waited;
        }

        /** The admitted request's first leg is counted in the ledger, or the request ended. Idempotent. */
        public void dispatched() {
            settle(this);
        }

        /** The client went away: leave the queue, or give back an admitted slot. Idempotent. */
        public void cancel() {
            settle(this);
        }
    }
}
