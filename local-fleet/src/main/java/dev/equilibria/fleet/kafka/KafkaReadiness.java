package dev.equilibria.fleet.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** Asks a Kafka cluster, through the admin API, whether it serves clients yet. */
public final class KafkaReadiness {

    private static final int REQUEST_TIMEOUT_MS = 2000;

    private KafkaReadiness() {
    }

    /**
     * Waits until the cluster at {@code bootstrap} reports at least one broker.
     *
     * @param keepWaiting checked between attempts; a false answer (the broker process died) ends the wait
     * @return true when the cluster answered within the timeout
     */
    public static boolean await(String bootstrap, Duration timeout, BooleanSupplier keepWaiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
                AdminClientConfig.CLIENT_ID_CONFIG, "equilibria-fleet-launcher"))) {
            while (System.nanoTime() < deadline && keepWaiting.getAsBoolean()) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(REQUEST_TIMEOUT_MS))
                            .nodes().get(REQUEST_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return true;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.apache.kafka.common.KafkaException e) {
            // a bootstrap address that does not resolve: as unreachable as a broker that does not answer
            return false;
        }
        return false;
    }
}
