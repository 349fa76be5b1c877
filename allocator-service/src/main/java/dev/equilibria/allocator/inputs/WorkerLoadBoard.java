package dev.equilibria.allocator.inputs;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.WorkerLoad;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The latest load report of every worker, read from Kafka: the allocator's view of how busy each pool is.
 * Reports older than {@link #STALE_AFTER} are ignored, so a vanished worker stops counting.
 */
@Component
public class WorkerLoadBoard {

    /** A report older than this no longer describes its worker. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(WorkerLoadBoard.class);

    private final ConcurrentMap<String, Received> latest = new ConcurrentHashMap<>();
    private final InstantSource clock = InstantSource.system();

    public WorkerLoadBoard(MeterRegistry registry) {
        for (WorkerRole role : WorkerRole.values()) {
            gauge(registry, "equilibria.allocator.pool.running", "Running sequences in the pool", role,
                    pool -> sum(pool, WorkerLoad::runningRequests));
            gauge(registry, "equilibria.allocator.pool.waiting", "Queued sequences in the pool", role,
                    pool -> sum(pool, WorkerLoad::waitingRequests));
            gauge(registry, "equilibria.allocator.pool.kv.usage", "KV blocks in use over KV blocks in the pool", role,
                    pool -> {
                        double total = sum(pool, WorkerLoad::kvBlocksTotal);
                        return total == 0 ? 0 : sum(pool, WorkerLoad::kvBlocksUsed) / total;
                    });
        }
    }

    @KafkaListener(topics = Topics.WORKER_LOAD, groupId = "allocator-load-#{T(java.util.UUID).randomUUID()}")
    public void onLoad(String json) {
        try {
            WorkerLoad load = EventCodec.decode(json, WorkerLoad.class);
            latest.put(load.workerId(), new Received(load, clock.millis()));
        } catch (EventFormatException e) {
            log.warn("ignoring load report: {}", e.getMessage());
        }
    }

    /** Fresh reports of the workers currently in {@code role}. */
    public Collection<WorkerLoad> pool(WorkerRole role) {
        return fresh().stream().filter(l -> l.role() == role).toList();
    }

    /** The latest fresh report of every worker, whatever its role. */
    public List<WorkerLoad> fresh() {
        long oldest = clock.millis() - STALE_AFTER.toMillis();
        latest.values().removeIf(r -> r.receivedMs < oldest - STALE_AFTER.toMillis());
        return latest.values().stream().filter(r -> r.receivedMs >= oldest).map(Received::load).toList();
    }

    /** The latest fresh report of one worker. */
    public Optional<WorkerLoad> of(String workerId) {
        Received r = latest.get(workerId);
        return r == null || r.receivedMs < clock.millis() - STALE_AFTER.toMillis() ? Optional.empty()
                : Optional.of(r.load());
    }

    private void gauge(MeterRegistry registry, String name, String description, WorkerRole role,
                       ToDoubleFunction<Collection<WorkerLoad>> value) {
        Gauge.builder(name, this, board -> value.applyAsDouble(board.pool(role)))
                .description(description).tag("role", role.wireName()).register(registry);
    }

    private static double sum(Collection<WorkerLoad> pool, ToDoubleFunction<WorkerLoad> field) {
        return pool.stream().mapToDouble(field).sum();
    }

    private record Received(WorkerLoad load, long receivedMs) {
    }
}
