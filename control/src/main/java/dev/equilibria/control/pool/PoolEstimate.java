package dev.equilibria.control.pool;

/** A pool's predicted steady state: the latency its SLO is written against, and how loaded it is. */
public interface PoolEstimate {

    /** Mean latency the pool's SLO is about (TTFT for prefill, ITL for decode); infinite when saturated. */
    double latencySeconds();

    /** Offered load over capacity; at or above 1 the queue grows without bound. */
    double utilisation();

    /** Predicted fraction of requests whose latency is within {@code targetSeconds}, in [0, 1]. */
    double attainment(double targetSeconds);

    default boolean saturated() {
        return !(utilisation() < 1) || !Double.isFinite(latencySeconds());
    }
}
