package dev.equilibria.control.regime;

import java.util.ArrayList;
import java.util.List;

/** Poll fixtures: a prefill pool of identical workers. */
public final class Polls {

    private Polls() {
    }

    /** A pool of {@code workers} workers, each with {@code waiting} queued requests and {@code kv} of its cache used. */
    public static PoolState pool(String name, int workers, int running, int waiting, double kv) {
        List<WorkerState> states = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            states.add(new WorkerState(name + "-" + i, running, waiting, 256, (int) Math.round(kv * 1000), 1000));
        }
        return new PoolState(name, states);
    }

    /** A pool whose workers have the given queue lengths. */
    public static PoolState queues(String name, int running, double kv, int... waiting) {
        List<WorkerState> states = new ArrayList<>();
        for (int i = 0; i < waiting.length; i++) {
            states.add(new WorkerState(name + "-" + i, running, waiting[i], 256, (int) Math.round(kv * 1000), 1000));
        }
        return new PoolState(name, states);
    }

    public static Poll poll(long ts, double ttftP99Ms, double offeredLoad, PoolState... pools) {
        return new Poll(ts, ttftP99Ms, offeredLoad, List.of(pools));
    }

    /** A quiet pool: short queues, little KV in use. */
    public static PoolState quiet() {
        return pool("prefill", 4, 8, 0, 0.2);
    }
}
