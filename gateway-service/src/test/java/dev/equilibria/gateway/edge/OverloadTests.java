package dev.equilibria.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
 * Three times the gateway's capacity against real workers, with a capacity made small so that is cheap: one leg in
 * flight per worker and an admission queue of {@link #QUEUE}. Admitted requests finish within a bound derived from
 * the queue settings (the longest queue wait plus a few service times); the rest are refused at once with 429,
 * Retry-After and an OpenAI error object (or, if their wait ran out, 504 {@code queue_timeout} with Retry-After);
 * once the burst is over, a request succeeds promptly again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.gateway.admission.max-inflight-per-worker=1",
        "equilibria.gateway.admission.queue-capacity=" + OverloadTests.QUEUE,
        "equilibria.gateway.admission.queue-timeout=" + OverloadTests.QUEUE_TIMEOUT_MILLIS + "ms",
        "equilibria.gateway.admission.retry-after=1s",
        "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class OverloadTests {

    static final int QUEUE = 2;
    static final long QUEUE_TIMEOUT_MILLIS = 3000;
    /** One request in flight per worker plus the queue: what the gateway holds at once. */
    static final int CAPACITY = 1 + QUEUE;
    static final int BURST = 3 * CAPACITY;
    static final int MAX_TOKENS = 40;

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RealWorkers workers;
    private String model;

    @BeforeAll
    void startWorkers() throws Exception {
        workers = new RealWorkers(broker.getBrokersAsString(), "overload", 5);
        model = RealWorkers.awaitModel(http, port, Duration.ofSeconds(120));
    }

    @AfterAll
    void stopWorkers() {
        if (workers != null) {
            workers.close();
        }
    }

    @Test
    void atThreeTimesCapacityAdmittedLatencyIsBoundedTheRestIsRefusedAndServiceRecovers() throws Exception {
        timed(request()); // warm-up
        long solo = timed(request()).millis; // the service time of one request alone
        // an admitted request waits at most the queue timeout, then shares the workers with those ahead of it
        long bound = QUEUE_TIMEOUT_MILLIS + (CAPACITY + 1) * solo + 2000;

        List<CompletableFuture<Timed>> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            long start = System.nanoTime(); // all sent at once, not through a pool that may have one thread
            burst.add(http.sendAsync(request(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Timed(response, (System.nanoTime() - start) / 1_000_000)));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> admitted = new ArrayList<>();
        for (CompletableFuture<Timed> future : burst) {
            Timed result = future.join();
            HttpResponse<String> response = result.response;
            statuses.merge(response.statusCode(), 1, Integer::sum);
            switch (response.statusCode()) {
                case 200 -> admitted.add(result.millis);
                case 429, 504 -> {
                    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
                    JsonNode error = OpenAiErrors.check(response.body(), "shed");
                    assertThat(error.path("code").stringValue()).isEqualTo(response.statusCode() == 429
                            ? "queue_full" : "queue_timeout");
                    if (response.statusCode() == 429) {
                        assertThat(error.path("type").stringValue()).isEqualTo("rate_limit_error");
                        assertThat(result.millis).as("refused at once, not after waiting").isLessThan(bound);
                    }
                }
                default -> throw new AssertionError("unexpected " + response.statusCode() + ": " + response.body());
            }
        }
        System.out.printf("overload: solo %d ms, bound %d ms, burst of %d -> %s, admitted latencies %s%n", solo,
                bound, BURST, statuses, admitted);
        assertThat(statuses.getOrDefault(429, 0)).as("some are shed").isPositive();
        assertThat(admitted).as("some are served").isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThan(bound));

        Timed after = timed(request());
        assertThat(after.response.statusCode()).isEqualTo(200);
        assertThat(after.millis).as("served promptly once the burst is over").isLessThan(3 * solo + 2000);
    }

    private record Timed(HttpResponse<String> response, long millis) {
    }

    private Timed timed(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Timed(response, (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            throw new AssertionError("request failed without an answer", e);
        }
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(uri("/v1/completions")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": \"Explain"
                        + " admission control\", \"max_tokens\": " + MAX_TOKENS + "}")).build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
