package dev.equilibria.service.kafka;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Readiness: OUT_OF_SERVICE until the service has reached the Kafka broker once, UP from then on, even while the
 * broker is down. A broker outage must not take every replica out of its load balancer at once: the services keep
 * serving from their last known fleet state (the live state is the {@code kafka} indicator and the
 * {@code equilibria_kafka_broker_reachable} gauge).
 */
public class KafkaReachedHealthIndicator extends AbstractHealthIndicator {

    private final BrokerWatch watch;

    public KafkaReachedHealthIndicator(BrokerWatch watch) {
        super("Kafka readiness check failed");
        this.watch = watch;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (watch.reachedOnce()) {
            builder.up().withDetail("reachable", watch.reachable());
        } else {
            builder.outOfService().withDetail("reason", "the Kafka broker has not been reached yet");
        }
    }
}
