package dev.equilibria.worker.api;

import dev.equilibria.protocol.event.WorkerLoad;

/** One hosted worker as listed by {@code GET /workers}. */
public record WorkerSummary(String workerId, String role, boolean draining, WorkerLoad load) {
}
