package dev.equilibria.engine.timing;

/** How long a GPU takes for one engine step; the engine's only notion of hardware speed. */
public interface TimingModel {

    /** Model time of one step over {@code batch}, in nanoseconds. */
    long stepNanos(BatchShape batch);
}
