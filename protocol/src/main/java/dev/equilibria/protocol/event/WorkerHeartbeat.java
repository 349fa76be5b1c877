package dev.equilibria.protocol.event;

import dev.equilibria.protocol.WorkerRole;

/**
 * A worker's periodic announcement; the gateway discovers workers from these and drops one whose
 * heartbeats stop.
 *
 * @param endpoint base URL of the hosting process; worker legs live under {@code /workers/{workerId}}
 * @param draining true while the worker finishes in-flight work and accepts nothing new
 */
public record WorkerHeartbeat(int version, String workerId, WorkerRole role, String endpoint, String model,
                              WorkerCapacity capacity, boolean draining, long timestampMs) implements VersionedEvent {

    public WorkerHeartbeat(String workerId, WorkerRole role, String endpoint, String model, WorkerCapacity capacity,
                           boolean draining, long timestampMs) {
        this(CURRENT_VERSION, workerId, role, endpoint, model, capacity, draining, timestampMs);
    }
}
