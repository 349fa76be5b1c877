package dev.equilibria.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@code refuse_when_full} between the gateway and real workers: two decode workers of one batch slot each, one
 * slot held by a long stream. Short requests that ask for the refusal and are placed round robin never wait behind
 * that stream: the full worker answers 429 at once and the gateway moves the decode leg to the other worker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class FullWorkerRefusalTests {

    /** Real time: the long stream takes far longer than a short request may. */
    private static final double TIME_SCALE = 1;
    private static final int LONG_TOKENS = 4000;
    private static final Duration SHORT_REQUEST_LIMIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext prefill;
    private ConfigurableApplicationContext decode;
    private String model;

    @BeforeAll
    void startWorkers() {
        prefill = RealWorkers.start(broker.getBrokersAsString(), "prefill", "refusal-prefill", TIME_SCALE);
        decode = RealWorkers.start(broker.getBrokersAsString(), "decode", "refusal-decode", TIME_SCALE,
                "--equilibria.worker.count=2", "--equilibria.worker.engine.max-num-seqs=1");
        model = RealWorkers.awaitModel(http, port, Duration.ofSeconds(120));
    }

    @AfterAll
    void stopWorkers() {
        Stream.of(decode, prefill).filter(c -> c != null).forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void shortRequestsMoveOffTheWorkerALongStreamFills() throws Exception {
        HttpResponse<InputStream> holder = http.send(request("""
                {"model": "%s", "prompt": "hold the slot", "max_tokens": %d, "stream": true}"""
                .formatted(model, LONG_TOKENS), Duration.ofMinutes(2)), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = holder.body()) {
            assertThat(holder.statusCode()).isEqualTo(200);
            Iterator<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(body)).lines()
                    .iterator();
            assertThat(lines.next()).startsWith("data:"); // streaming: one decode worker's only slot is taken

            double refusedBefore = fullRefusals();
            for (int i = 0; i < 4; i++) {
                long start = System.nanoTime();
                HttpResponse<String> shortOne = http.send(request("""
                        {"model": "%s", "prompt": "short %d", "max_tokens": 8, "router_config_override":
                         {"policy": "round_robin", "refuse_when_full": true}}""".formatted(model, i),
                        SHORT_REQUEST_LIMIT), HttpResponse.BodyHandlers.ofString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(shortOne.statusCode()).as(shortOne.body()).isEqualTo(200);
                assertThat(took).as("request %d did not wait for the long stream", i).isLessThan(SHORT_REQUEST_LIMIT);
            }
            assertThat(fullRefusals() - refusedBefore)
                    .as("round robin sent some decode legs to the full worker, which refused them").isPositive();
        }
    }

    private double fullRefusals() {
        return meters.find(GatewayMetrics.FULL_REFUSALS).counters().stream().mapToDouble(Counter::count).sum();
    }

    private HttpRequest request(String json, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                .header("Content-Type", "application/json").timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
