package dev.equilibria.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Readiness follows the first contact with a real broker and then holds through an outage. */
class KafkaReachedHealthIndicatorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void outOfServiceUntilTheBrokerIsReachedThenUpThroughAnOutage() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        BrokerWatch watch = new BrokerWatch(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), Duration.ofSeconds(60), TIMEOUT, new SimpleMeterRegistry());
        KafkaReachedHealthIndicator readiness = new KafkaReachedHealthIndicator(watch);
        boolean brokerUp = true;
        try {
            assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

            watch.check();
            Health reached = readiness.health();
            assertThat(reached.getStatus()).isEqualTo(Status.UP);
            assertThat(reached.getDetails()).containsEntry("reachable", true);

            broker.destroy();
            brokerUp = false;
            watch.check();
            Health outage = readiness.health();
            assertThat(outage.getStatus()).isEqualTo(Status.UP);
            assertThat(outage.getDetails()).containsEntry("reachable", false);
        } finally {
            watch.stop();
            if (brokerUp) {
                broker.destroy();
            }
        }
    }

    @Test
    void aBrokerNeverReachedKeepsTheServiceOutOfRotation() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BrokerWatch watch = new BrokerWatch(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + closedPort), Duration.ofSeconds(60), TIMEOUT, new SimpleMeterRegistry());
        try {
            watch.check();

            Health health = new KafkaReachedHealthIndicator(watch).health();
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails()).containsKey("reason");
        } finally {
            watch.stop();
        }
    }
}
