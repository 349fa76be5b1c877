package dev.equilibria.service.fleet;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.routing.registry.WorkerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Keeps a service's view of the live workers: folds every heartbeat from Kafka into the {@link WorkerRegistry} and
 * exports {@code equilibria_fleet_workers{role}}. Each service instance reads with its own consumer group, since
 * every instance needs every heartbeat.
 */
public class FleetMembership {

    private static final Logger log = LoggerFactory.getLogger(FleetMembership.class);

    private final WorkerRegistry registry;
    private final Counter rejected;

    public FleetMembership(WorkerRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.rejected = Counter.builder("equilibria.fleet.heartbeats.rejected")
                .description("Heartbeats that could not be read or lacked a field").register(meters);
        for (WorkerRole role : WorkerRole.values()) {
            Gauge.builder("equilibria.fleet.workers", registry,
                            r -> r.live().stream().filter(w -> w.role() == role).count())
                    .description("Live workers by role, from heartbeats").tag("role", role.wireName())
                    .register(meters);
        }
    }

    @KafkaListener(topics = Topics.HEARTBEATS,
            groupId = "${spring.application.name}-membership-#{T(java.util.UUID).randomUUID()}")
    public void onHeartbeat(String json) {
        try {
            registry.onHeartbeat(EventCodec.decode(json, WorkerHeartbeat.class));
        } catch (EventFormatException | IllegalArgumentException e) {
            rejected.increment();
            log.warn("ignoring heartbeat: {}", e.getMessage());
        }
    }

    public WorkerRegistry registry() {
        return registry;
    }
}
