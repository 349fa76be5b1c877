package dev.equilibria.simulator.workload;

import java.util.Iterator;

/** Requests that arrive at fixed times whatever the fleet does (traces, Poisson or gamma arrivals). */
public interface OpenLoopWorkload {

    /** Requests in arrival order. */
    Iterator<SimRequest> requests();

    /** A short description for reports. */
    String describe();
}
