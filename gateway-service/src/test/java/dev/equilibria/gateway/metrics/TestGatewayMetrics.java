package dev.equilibria.gateway.metrics;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.routing.BackgroundPublisher;
import dev.equilibria.service.kafka.EventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.InstantSource;

/** Gateway metrics over an in-memory registry that publish nothing, for unit tests of what records them. */
public final class TestGatewayMetrics {

    private TestGatewayMetrics() {
    }

    public static GatewayMetrics create(SimpleMeterRegistry registry) {
        return new GatewayMetrics(registry, new BackgroundPublisher(new EventPublisher(null, registry) {
            @Override
            public void publish(String topic, String key, Object event) {
            }
        }, registry), InstantSource.system(), GatewayProperties.defaults());
    }
}
