package dev.equilibria.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "equilibria.admin.token=test-token"})
@EmbeddedKafka(partitions = 1)
class MonitorApplicationTests {

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, String> kafka;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void countsRoutingDecisionsReadFromTheDecisionLog() throws Exception {
        RoutingDecision decision = new RoutingDecision("req-1", "gw", 1L, RoutingLeg.PREFILL, "prefill-0",
                new RouterSettings("round_robin", 1.0, 0.0), 100, 1, 16,
                List.of(new CandidateCost("prefill-0", 0, 1, 0, 1)));
        kafka.send(Topics.ROUTING_DECISIONS, "req-1", EventCodec.encode(decision));

        String expected = "equilibria_monitor_routing_decisions_total{application=\"monitor-service\",leg=\"prefill\","
                + "worker=\"prefill-0\"} 1.0";
        String metrics = "";
        for (int i = 0; i < 100 && !metrics.contains(expected); i++) {
            Thread.sleep(200);
            metrics = get("/actuator/prometheus", null).body();
        }
        assertThat(metrics).contains(expected);
    }

    @Test
    void adminPathsNeedTheBearerToken() throws Exception {
        HttpResponse<String> anonymous = get("/admin/anything", null);
        HttpResponse<String> wrong = get("/admin/anything", "Bearer nope");
        HttpResponse<String> right = get("/admin/anything", "Bearer test-token");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(anonymous.body()).contains("\"status\":401");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(404); // past the filter; no such admin endpoint
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
