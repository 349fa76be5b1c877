package dev.equilibria.simulator.fleet;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceListener;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.simulator.core.EventLoop;

/**
 * Drives one production {@link Engine} in virtual time: a step begins when work is queued, ends after the model
 * time the engine computed, and the next one follows at once; an idle worker sleeps until a submit or a pending
 * KV transfer wakes it. Submissions at the same instant join one batch, as on a real worker.
 */
public final class SimWorker {

    private final String id;
    private final Engine engine;
    private final EventLoop loop;
    private WorkerRole role;
    private boolean stepping;
    private long wakeAt = Long.MAX_VALUE;
    /** End of the step running now, or Long.MIN_VALUE between steps. */
    private long stepEnd = Long.MIN_VALUE;
    private long busyNanos;
    private long steps;

    public SimWorker(String id, WorkerRole role, Engine engine, EventLoop loop) {
        this.id = id;
        this.role = role;
        this.engine = engine;
        this.loop = loop;
    }

    public String id() {
        return id;
    }

    public WorkerRole role() {
        return role;
    }

    public void setRole(WorkerRole role) {
        this.role = role;
    }

    public Engine engine() {
        return engine;
    }

    public Sequence submit(SequenceRequest request, SequenceListener listener) {
        Sequence sequence = engine.submit(request, listener, loop.now());
        kick();
        return sequence;
    }

    /**
     * The earliest time work submitted now can join a batch: the end of the step running now, or now. Waiting until
     * then is the batching delay every request sees at any load; waiting beyond it is queueing for a batch slot.
     */
    public long nextBatchNanos() {
        return Math.max(loop.now(), stepEnd);
    }

    public void cancel(String requestId) {
        engine.cancel(requestId, "cancelled");
    }

    public boolean releaseHandoff(String requestId) {
        return engine.releaseHandoff(requestId);
    }

    /** Fraction of {@code elapsedNanos} this worker spent computing. */
    public double utilisation(long elapsedNanos) {
        return elapsedNanos == 0 ? 0 : (double) busyNanos / elapsedNanos;
    }

    public long steps() {
        return steps;
    }

    private void kick() {
        if (!stepping) {
            stepping = true;
            loop.at(loop.now(), this::begin); // later submissions at this instant still join the batch
        }
    }

    private void begin() {
        StepPlan plan = engine.beginStep(loop.now());
        if (plan == null) {
            stepping = false;
            long next = engine.nextReadyNanos(loop.now());
            if (next != Long.MAX_VALUE && next < wakeAt) {
                wakeAt = next;
                loop.at(next, this::wake);
            }
            return;
        }
        stepEnd = plan.endNanos();
        loop.at(plan.endNanos(), () -> finish(plan));
    }

    private void finish(StepPlan plan) {
        engine.finishStep(plan);
        busyNanos += plan.durationNanos();
        steps++;
        begin();
    }

    private void wake() {
        if (loop.now() >= wakeAt) {
            wakeAt = Long.MAX_VALUE;
        }
        kick();
    }
}
