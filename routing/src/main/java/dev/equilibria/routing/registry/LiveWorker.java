package dev.equilibria.routing.registry;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import java.time.Instant;

/**
 * A worker as the registry last heard of it.
 *
 * @param heartbeat the latest heartbeat received from the worker
 * @param firstSeen when this registry first heard of the worker in its current run of heartbeats
 * @param lastSeen  when this registry received the latest heartbeat (its own clock, not the worker's)
 */
public record LiveWorker(WorkerHeartbeat heartbeat, Instant firstSeen, Instant lastSeen) {

    public String workerId() {
        return heartbeat.workerId();
    }

    public WorkerRole role() {
        return heartbeat.role();
    }

    /** Base URL of the process hosting the worker. */
    public String endpoint() {
        return heartbeat.endpoint();
    }

    public String model() {
        return heartbeat.model();
    }

    public WorkerCapacity capacity() {
        return heartbeat.capacity();
    }

    public boolean draining() {
        return heartbeat.draining();
    }

    /** True when the worker can run the given leg: its own role, or any leg for an aggregated worker. */
    public boolean canServe(WorkerRole leg) {
        return role() == leg || role() == WorkerRole.AGGREGATED;
    }
}
