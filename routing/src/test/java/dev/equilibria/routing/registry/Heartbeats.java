package dev.equilibria.routing.registry;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;

/** Heartbeat fixtures for tests. */
public final class Heartbeats {

    public static final String MODEL = "llama-3.1-70b";
    public static final int MAX_MODEL_LEN = 8192;

    private Heartbeats() {
    }

    public static WorkerHeartbeat of(String workerId, WorkerRole role) {
        return of(workerId, role, MODEL, false, 0);
    }

    public static WorkerHeartbeat of(String workerId, WorkerRole role, String model, boolean draining,
                                     long timestampMs) {
        return new WorkerHeartbeat(workerId, role, "http://127.0.0.1:8081", model,
                new WorkerCapacity(64, 8192, 1000, 64, MAX_MODEL_LEN), draining, timestampMs);
    }

    public static WorkerHeartbeat withMaxModelLen(String workerId, WorkerRole role, int maxModelLen) {
        return new WorkerHeartbeat(workerId, role, "http://127.0.0.1:8081", MODEL,
                new WorkerCapacity(64, 8192, 1000, 64, maxModelLen), false, 0);
    }
}
