package dev.equilibria.monitor.control;

import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.monitor.metrics.MonitorMetrics;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.service.kafka.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the controller's output over Kafka: overrides on {@code router-config} (keyed by their source), capacity
 * alerts on {@code capacity-alerts} (keyed by pool); logs both and counts transitions and alerts.
 */
public final class KafkaControlSink implements ControlSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaControlSink.class);

    private final EventPublisher publisher;
    private final MonitorMetrics metrics;

    public KafkaControlSink(EventPublisher publisher, MonitorMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Override
    public void override(RouterConfigOverride override) {
        log.info("router-config: policy={} overlap_score_weight={} router_temperature={} ({})", override.policy(),
                override.overlapScoreWeight(), override.routerTemperature(), override.reason());
        publisher.publish(Topics.ROUTER_CONFIG, override.source(), override);
    }

    @Override
    public void alert(CapacityAlert alert) {
        log.warn("capacity alert {} for pool {}: {}", alert.state(), alert.pool(), alert.reason());
        metrics.alert(alert.pool(), alert.state());
        publisher.publish(Topics.CAPACITY_ALERTS, alert.pool(), alert);
    }

    @Override
    public void transition(RegimeTransition t) {
        log.info("regime {} -> {} {}: {}", t.from(), t.to(), t.signals(), t.reason());
        metrics.transition(t);
    }
}
