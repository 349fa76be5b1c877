package dev.equilibria.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Readiness waits for a worker that can generate, then holds when every worker is gone. */
class WorkersHeardHealthIndicatorTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T07:00:00Z"));
    private final WorkerRegistry registry = new WorkerRegistry(now::get, Duration.ofSeconds(3));
    private final WorkersHeardHealthIndicator readiness = new WorkersHeardHealthIndicator(registry);

    @Test
    void outOfServiceUntilAWorkerThatCanGenerateIsHeardThenUpAfterEveryWorkerIsGone() {
        assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        registry.onHeartbeat(heartbeat("prefill-0", WorkerRole.PREFILL));
        Health prefillOnly = readiness.health();
        assertThat(prefillOnly.getStatus()).as("a prefill worker alone cannot finish a request")
                .isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(prefillOnly.getDetails()).containsEntry("live_workers", 1);

        registry.onHeartbeat(heartbeat("decode-0", WorkerRole.DECODE));
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);

        now.set(now.get().plusSeconds(60)); // every heartbeat expired
        Health gone = readiness.health();
        assertThat(gone.getStatus()).isEqualTo(Status.UP);
        assertThat(gone.getDetails()).containsEntry("live_workers", 0);
    }

    @Test
    void anAggregatedWorkerIsEnough() {
        registry.onHeartbeat(heartbeat("agg-0", WorkerRole.AGGREGATED));

        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
    }

    private WorkerHeartbeat heartbeat(String id, WorkerRole role) {
        return new WorkerHeartbeat(id, role, "http://127.0.0.1:1", "m",
                new WorkerCapacity(8, 1024, 100, 16, 4096), false, now.get().toEpochMilli());
    }
}
