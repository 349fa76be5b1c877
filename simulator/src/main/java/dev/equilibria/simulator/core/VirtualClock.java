package dev.equilibria.simulator.core;

import java.time.Instant;
import java.time.InstantSource;

/** Simulated time in nanoseconds since the start of a run; what the production code sees as its clock. */
public final class VirtualClock implements InstantSource {

    private long nowNanos;

    public long nowNanos() {
        return nowNanos;
    }

    void advanceTo(long nanos) {
        if (nanos < nowNanos) {
            throw new IllegalStateException("time cannot go back from " + nowNanos + " to " + nanos);
        }
        nowNanos = nanos;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(nowNanos / 1_000_000_000L, nowNanos % 1_000_000_000L);
    }

    @Override
    public long millis() {
        return nowNanos / 1_000_000L;
    }

    public double seconds() {
        return nowNanos / 1e9;
    }
}
