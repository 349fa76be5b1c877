package dev.equilibria.engine;

import dev.equilibria.engine.scheduler.StepPlan;

/** Drives an engine in virtual time for tests: runs steps back to back until it has nothing left to do. */
final class VirtualDriver {

    private final Engine engine;
    long now;
    int steps;

    VirtualDriver(Engine engine) {
        this.engine = engine;
    }

    void runUntilIdle() {
        for (int guard = 0; guard < 1_000_000 && engine.hasWork(); guard++) {
            StepPlan plan = engine.beginStep(now);
            if (plan == null) {
                long next = engine.nextReadyNanos(now);
                if (next == Long.MAX_VALUE) {
                    throw new IllegalStateException("engine has work but nothing can ever run");
                }
                now = next;
                continue;
            }
            now = plan.endNanos();
            engine.finishStep(plan);
            steps++;
        }
    }

    StepPlan step() {
        StepPlan plan = engine.beginStep(now);
        now = plan.endNanos();
        engine.finishStep(plan);
        steps++;
        return plan;
    }
}
