package dev.equilibria.control.efficiency;

/**
 * The TTFT a request would see on an idle fleet: what the workers' engine profiles predict for it. Services
 * implement it per worker when pools mix profiles.
 */
@FunctionalInterface
public interface ZeroLoadTtft {

    /** Milliseconds, positive. */
    double predictMillis(TtftSample sample);
}
