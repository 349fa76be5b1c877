package dev.equilibria.control.pool;

import dev.equilibria.control.forecast.Workload;

/**
 * Latency of one pool as a function of demand and pool size. Workers may be fractional so that the game can take
 * derivatives (the continuous relaxation); real splits are whole workers.
 *
 * <p>Contract: load is spread evenly, so {@link PoolEstimate#utilisation()} is proportional to {@code 1 / workers}
 * at a fixed workload; the game relies on it to find the pool size at a given utilisation.
 */
public interface PoolModel {

    /** The pool's steady state with {@code workers} workers sharing {@code workload} evenly. */
    PoolEstimate estimate(Workload workload, double workers);
}
