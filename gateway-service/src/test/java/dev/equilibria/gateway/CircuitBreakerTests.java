package dev.equilibria.gateway;

import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.gateway.routing.WorkerCircuitBreakers;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * A prefill worker that keeps failing (500 on every call, over a real socket) next to a healthy one: its calls are
 * retried on the healthy worker, so clients see no error; its breaker opens after the configured window and it gets
 * no more traffic; after the open wait, half-open probes reach it again and, still failing, open it again. The state
 * shows in the admin worker list and as a metric.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.admin.token=" + CircuitBreakerTests.TOKEN,
        "equilibria.gateway.router.policy=round_robin",
        "equilibria.gateway.circuit-breaker.minimum-number-of-calls=3",
        "equilibria.gateway.circuit-breaker.sliding-window-size=4",
        "equilibria.gateway.circuit-breaker.wait-duration-in-open-state=5s",
        "equilibria.gateway.circuit-breaker.permitted-calls-in-half-open-state=1",
        "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class CircuitBreakerTests {

    static final String TOKEN = "cb-admin-token";

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeWorkers workers;
    private HeartbeatPublisher heartbeats;

    @BeforeAll
    void startFleet() throws Exception {
        workers = new FakeWorkers();
        heartbeats = new HeartbeatPublisher(broker.getBrokersAsString());
        worker("cb-p0", PREFILL, FakeWorkers.Behavior.BROKEN);
        worker("cb-p1", PREFILL, FakeWorkers.Behavior.NORMAL);
        worker("cb-d0", DECODE, FakeWorkers.Behavior.NORMAL);
        await().atMost(Duration.ofSeconds(90)).until(() -> get("/v1/models").contains("\"cb\""));
    }

    @AfterAll
    void stopFleet() {
        heartbeats.close();
        workers.close();
    }

    @Test
    void aFailingWorkersBreakerOpensAndTakesItOutOfRoutingUntilItsProbesSucceed() throws Exception {
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = complete();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        long failedCalls = workers.callsTo("cb-p0");
        assertThat(failedCalls).as("calls before the breaker opened").isBetween(3L, 4L);
        assertThat(breakerState("cb-p0")).isEqualTo("open");
        assertThat(breakerState("cb-p1")).isEqualTo("closed");
        assertThat(meters.get(WorkerCircuitBreakers.STATE_METRIC).tag("worker", "cb-p0").gauge().value())
                .isEqualTo(1.0);

        for (int i = 0; i < 6; i++) {
            assertThat(complete().statusCode()).isEqualTo(200);
        }
        assertThat(workers.callsTo("cb-p0")).as("no traffic while open").isEqualTo(failedCalls);

        // after the open wait the breaker lets a probe through; it fails, and the breaker opens again
        await().atMost(Duration.ofSeconds(15)).until(() -> breakerState("cb-p0").equals("half_open"));
        for (int i = 0; i < 4 && workers.callsTo("cb-p0") == failedCalls; i++) {
            assertThat(complete().statusCode()).isEqualTo(200);
        }
        assertThat(workers.callsTo("cb-p0")).isEqualTo(failedCalls + 1);
        assertThat(breakerState("cb-p0")).isEqualTo("open");
    }

    private String breakerState(String workerId) throws Exception {
        JsonNode list = EventCodec.mapper().readTree(http.send(HttpRequest.newBuilder(uri("/admin/workers"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body());
        JsonNode workersNode = list.isArray() ? list : list.path("workers");
        for (JsonNode w : workersNode) {
            if (w.path("worker_id").stringValue().equals(workerId)) {
                return w.path("circuit_breaker").stringValue();
            }
        }
        throw new AssertionError("worker " + workerId + " not in " + list);
    }

    private HttpResponse<String> complete() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"cb\", \"prompt\": \"x\", \"max_tokens\": 3}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void worker(String id, WorkerRole role, FakeWorkers.Behavior behavior) {
        FakeWorkers.Worker worker = workers.add(id, role, "cb", behavior);
        heartbeats.start(id, () -> workers.heartbeat(worker));
    }
}
