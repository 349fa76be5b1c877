package dev.equilibria.service.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/** Reports DOWN while the Kafka cluster cannot be reached, so the fleet starter waits for a connected service. */
public class KafkaHealthIndicator extends AbstractHealthIndicator {

    /** How long one health check waits for the broker. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaAdmin admin;

    public KafkaHealthIndicator(KafkaAdmin admin) {
        super("Kafka health check failed");
        this.admin = admin;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        try (AdminClient client = AdminClient.create(admin.getConfigurationProperties())) {
            var cluster = client.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) DEFAULT_TIMEOUT.toMillis()));
            String clusterId = cluster.clusterId().get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            builder.up().withDetail("clusterId", clusterId).withDetail("brokers", brokers);
        }
    }
}
