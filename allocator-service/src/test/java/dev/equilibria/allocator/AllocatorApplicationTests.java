package dev.equilibria.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.event.WorkerLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(partitions = 1)
class AllocatorApplicationTests {

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, String> kafka;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void foldsHeartbeatsAndLoadReportsFromKafkaIntoPoolMetrics() throws Exception {
        String metrics = "";
        for (int i = 0; i < 100 && !(metrics.contains("equilibria_allocator_pool_waiting{application=\"allocator-service\",role=\"decode\"} 3.0")
                && metrics.contains("equilibria_fleet_workers{application=\"allocator-service\",role=\"decode\"} 1.0")); i++) {
            long now = System.currentTimeMillis();
            kafka.send(Topics.HEARTBEATS, "decode-0", EventCodec.encode(new WorkerHeartbeat("decode-0",
                    WorkerRole.DECODE, "http://127.0.0.1:1", "m", new WorkerCapacity(8, 512, 100, 64, 4096), false, now)));
            kafka.send(Topics.WORKER_LOAD, "decode-0", EventCodec.encode(new WorkerLoad("decode-0", WorkerRole.DECODE,
                    now, 5, 3, 40, 100, 0, 0.5)));
            Thread.sleep(200);
            metrics = get("/actuator/prometheus").body();
        }

        assertThat(metrics)
                .contains("equilibria_allocator_pool_waiting{application=\"allocator-service\",role=\"decode\"} 3.0")
                .contains("equilibria_allocator_pool_kv_usage{application=\"allocator-service\",role=\"decode\"} 0.4")
                .contains("equilibria_fleet_workers{application=\"allocator-service\",role=\"decode\"} 1.0");
    }

    @Test
    void isHealthyWhenKafkaIsReachable() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("kafka");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
