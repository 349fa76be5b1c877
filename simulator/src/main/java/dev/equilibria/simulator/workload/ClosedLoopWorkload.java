package dev.equilibria.simulator.workload;

/**
 * {@code concurrency} clients, each sending its next request as soon as the previous one completed, as in the
 * paper's experiments (closed-loop concurrency C).
 */
public interface ClosedLoopWorkload {

    int concurrency();

    /** The next request of client {@code client}. */
    SimRequest next(int client, long nowNanos);

    String describe();
}
