package dev.equilibria.gateway.routing;

import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import dev.equilibria.service.kafka.EventPublisher;
import java.time.InstantSource;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the KV index in step with the fleet: drops a lost worker's blocks, and asks workers whose mirror is out of
 * sync (a sequence gap, or a worker first heard of mid-stream) for a snapshot with a {@code kv_snapshot} command.
 */
@Component
public class KvIndexMaintenance {

    private static final Logger log = LoggerFactory.getLogger(KvIndexMaintenance.class);

    private final KvIndex index;
    private final WorkerRegistry registry;
    private final EventPublisher publisher;
    private final InstantSource clock;
    private final RoutingMetrics metrics;
    private final String gatewayId;
    /** Workers asked at least once, so repeated asks (a worker that publishes no events) log quietly. */
    private final java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public KvIndexMaintenance(KvIndex index, WorkerRegistry registry, EventPublisher publisher, InstantSource clock,
                              RoutingMetrics metrics, dev.equilibria.gateway.config.GatewayProperties properties) {
        this.index = index;
        this.registry = registry;
        this.publisher = publisher;
        this.clock = clock;
        this.metrics = metrics;
        this.gatewayId = properties.id();
    }

    @Scheduled(fixedDelayString = "${equilibria.gateway.kv-index.reconcile-interval:1s}")
    public void reconcile() {
        Collection<String> dropped = index.reconcile(registry.live().stream().map(LiveWorker::workerId)
                .collect(Collectors.toSet()));
        if (!dropped.isEmpty()) {
            log.info("dropped the cached blocks of lost workers {}", dropped);
        }
        requestSnapshots();
    }

    /** Sends a {@code kv_snapshot} command to every worker whose mirror needs one (rate-limited by the index). */
    public void requestSnapshots() {
        if (!(index instanceof KvEventIndex events)) {
            return;
        }
        for (String workerId : events.snapshotsDue()) {
            if (asked.add(workerId)) {
                log.info("asking worker {} for a KV snapshot (its event stream has a gap or was joined mid-way)",
                        workerId);
            } else {
                log.debug("asking worker {} for a KV snapshot again", workerId);
            }
            publisher.publish(Topics.WORKER_COMMANDS, workerId, new WorkerCommand("snap-" + UUID.randomUUID(),
                    workerId, WorkerCommand.Type.KV_SNAPSHOT, null, gatewayId, clock.millis()));
            metrics.snapshotRequested();
        }
    }
}
