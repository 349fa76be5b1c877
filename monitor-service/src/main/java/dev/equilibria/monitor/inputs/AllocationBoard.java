package dev.equilibria.monitor.inputs;

import dev.equilibria.protocol.event.Allocation;
import java.util.concurrent.atomic.AtomicReference;

/** The allocator's latest P/D split. Thread-safe. */
public final class AllocationBoard {

    private final AtomicReference<Allocation> latest = new AtomicReference<>();

    public void record(Allocation allocation) {
        latest.accumulateAndGet(allocation, (old, now) -> old == null || now.timestampMs() >= old.timestampMs()
                ? now : old);
    }

    /** The latest allocation, or null before the first. */
    public Allocation latest() {
        return latest.get();
    }
}
