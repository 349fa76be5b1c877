package dev.equilibria.fleet.fault;

/**
 * A fault to inject into a running local fleet while load runs: {@link #inject()} breaks something,
 * {@link #heal()} puts it back where the fault has an undo (a restart), and returns once it is back.
 */
public interface Fault {

    /** A short name for the results table, e.g. {@code kill -9 decode-service-2}. */
    String name();

    /** Breaks it; returns once the fault is in effect (the process is gone, the broker stopped). */
    void inject();

    /** Undoes it, where it has an undo; returns once the component is back. Nothing by default. */
    default void heal() {
    }
}
