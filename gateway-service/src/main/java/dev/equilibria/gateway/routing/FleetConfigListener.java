package dev.equilibria.gateway.routing;

import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.policy.InvalidSettingException;
import dev.equilibria.routing.policy.RoutingWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Applies fleet-wide settings pushed over Kafka: the monitor's router-config overrides and the allocator's routing
 * weights. Both topics are read from the beginning by every replica (own consumer group, earliest offset), so a
 * replica that starts late folds the same history and ends in the same state as the others.
 */
@Component
public class FleetConfigListener {

    private static final Logger log = LoggerFactory.getLogger(FleetConfigListener.class);

    private final RouterConfigStore store;
    private final RoutingWeights weights;
    private final RoutingMetrics metrics;

    public FleetConfigListener(RouterConfigStore store, RoutingWeights weights, RoutingMetrics metrics) {
        this.store = store;
        this.weights = weights;
        this.metrics = metrics;
    }

    @KafkaListener(topics = Topics.ROUTER_CONFIG, properties = "auto.offset.reset=earliest",
            groupId = "${spring.application.name}-router-config-#{T(java.util.UUID).randomUUID()}")
    public void onRouterConfig(String json) {
        try {
            RouterConfigOverride override = EventCodec.decode(json, RouterConfigOverride.class);
            store.applyFleetOverride(override);
            log.info("fleet router override from {} ({}): policy={}, overlap_score_weight={},"
                            + " router_temperature={}", override.source(), override.reason(), override.policy(),
                    override.overlapScoreWeight(), override.routerTemperature());
            metrics.configChanged("fleet_override");
        } catch (EventFormatException | InvalidSettingException e) {
            metrics.configRejected("fleet_override");
            log.warn("ignoring invalid router-config override: {}", e.getMessage());
        }
    }

    @KafkaListener(topics = Topics.ALLOCATIONS, properties = "auto.offset.reset=earliest",
            groupId = "${spring.application.name}-allocations-#{T(java.util.UUID).randomUUID()}")
    public void onAllocation(String json) {
        try {
            weights.onAllocation(EventCodec.decode(json, Allocation.class));
        } catch (EventFormatException e) {
            log.warn("ignoring unreadable allocation: {}", e.getMessage());
        }
    }
}
