package dev.equilibria.worker.host;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.scheduler.StepPlan;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one engine in real time on its own thread: begin a step, sleep for the step's model time (scaled), finish
 * it, repeat; park while there is nothing to do. Everything that touches the engine holds {@link #lock()}.
 */
final class WorkerDriver implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerDriver.class);
    /** Longest idle park; a submit wakes the driver earlier. */
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String workerId;
    private final Engine engine;
    private final ScaledClock clock;
    private final Consumer<StepPlan> stepObserver;
    private final Runnable onIdle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param onIdle called with the lock held whenever the engine has nothing queued, running or pinned, so a
     *               pending role switch can complete
     */
    WorkerDriver(String workerId, Engine engine, ScaledClock clock, Consumer<StepPlan> stepObserver, Runnable onIdle) {
        this.workerId = workerId;
        this.engine = engine;
        this.clock = clock;
        this.stepObserver = stepObserver;
        this.onIdle = onIdle;
    }

    ReentrantLock lock() {
        return lock;
    }

    long nowNanos() {
        return clock.nowNanos();
    }

    /** Wakes the driver after new work was queued; call with the lock held. */
    void signalWork() {
        workArrived.signal();
    }

    void start() {
        thread = new Thread(this, "engine-" + workerId);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                StepPlan plan = beginOrPark();
                if (plan == null) {
                    continue;
                }
                long sleepNanos = clock.wallNanosUntil(plan.endNanos());
                if (sleepNanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleepNanos);
                }
                lock.lock();
                try {
                    engine.finishStep(plan);
                } finally {
                    lock.unlock();
                }
                stepObserver.accept(plan);
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            } catch (RuntimeException e) {
                // an engine bug must not silently stop the worker; log it and keep serving
                log.error("engine step failed on {}", workerId, e);
            }
        }
    }

    private StepPlan beginOrPark() throws InterruptedException {
        lock.lock();
        try {
            long now = clock.nowNanos();
            StepPlan plan = engine.beginStep(now);
            if (plan == null) {
                if (engine.isIdle()) {
                    onIdle.run();
                }
                long next = engine.nextReadyNanos(now);
                long park = next == Long.MAX_VALUE ? MAX_IDLE_NANOS : Math.min(MAX_IDLE_NANOS, clock.wallNanosUntil(next));
                if (park > 0) {
                    workArrived.awaitNanos(park);
                }
            }
            return plan;
        } finally {
            lock.unlock();
        }
    }
}
