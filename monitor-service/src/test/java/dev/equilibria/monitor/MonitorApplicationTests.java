package dev.equilibria.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.monitor.poll.PollLoop;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.protocol.event.WorkerLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.JsonNode;

/** The monitor as a running service over a real embedded broker: inputs, admin API, dashboard data, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "equilibria.admin.token=test-token",
        "equilibria.monitor.poll-interval=200ms"})
@EmbeddedKafka(partitions = 1)
class MonitorApplicationTests {

    private static final String TOKEN = "Bearer test-token";
    /** The OpenAPI document is built on its first request; allocator-service's took over 10 s once on a busy VM. */
    private static final Duration OPENAPI_TIMEOUT = Duration.ofSeconds(60);
    /** Far above a static file's answer on a busy machine (milliseconds), far below the test's patience. */
    private static final int PIPELINE_READ_TIMEOUT_MS = 10_000;

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    PollLoop pollLoop;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void releaseAnyForcedRegime() throws Exception {
        send("POST", "/admin/regime/release", TOKEN, "{}");
    }

    @Test
    void countsRoutingDecisionsReadFromTheDecisionLog() throws Exception {
        RoutingDecision decision = new RoutingDecision("req-1", "gw", 1L, RoutingLeg.PREFILL, "prefill-0",
                new RouterSettings("round_robin", 1.0, 0.0), 100, 1, 16,
                List.of(new CandidateCost("prefill-0", 0, 1, 0, 1)));
        kafka.send(Topics.ROUTING_DECISIONS, "req-1", EventCodec.encode(decision));

        String expected = "equilibria_monitor_routing_decisions_total{application=\"monitor-service\",leg=\"prefill\","
                + "worker=\"prefill-0\"} 1.0";
        assertThat(waitFor(() -> get("/actuator/prometheus", null).body(), m -> m.contains(expected))).isTrue();
    }

    @Test
    void foldsRecordsAndLoadsIntoTheSnapshotAndSkipsBadRecords() throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            kafka.send(Topics.REQUEST_RECORDS, "r" + i, EventCodec.encode(new RequestRecord("r" + i, "gw", now,
                    "success", "prefill-0", "decode-0", 512, 256, 32, 100 + i, 20, 900)));
        }
        kafka.send(Topics.WORKER_LOAD, "prefill-0", EventCodec.encode(new WorkerLoad("prefill-0", WorkerRole.PREFILL,
                now, 3, 1, 100, 1000, 512, 0.5)));
        kafka.send(Topics.REQUEST_RECORDS, "bad", "{not json");
        kafka.send(Topics.REQUEST_RECORDS, "bad2", EventCodec.encode(new RequestRecord("bad2", "gw", now, "success",
                "prefill-0", "decode-0", 10, 20, 1, 5, 5, 5))); // more cached than prompt tokens

        JsonNode snapshot = waitForJson("/api/snapshot", s -> s.path("sources").path("records_in_window").asInt() >= 20
                && s.path("workers").size() >= 1);
        JsonNode point = snapshot.path("point");
        assertThat(point.path("ttft_p99_ms").asDouble()).isBetween(100.0, 119.0);
        assertThat(point.path("itl_ms").asDouble()).isEqualTo(20.0);
        assertThat(point.path("kv_hit_rate").asDouble()).isEqualTo(0.5);
        assertThat(point.path("requests_per_second").asDouble()).isPositive();
        assertThat(snapshot.path("ttft_inflation").path("samples").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(snapshot.path("ttft_inflation").path("mean").asDouble()).isPositive();
        JsonNode worker = snapshot.path("workers").get(0);
        assertThat(worker.path("worker_id").asString()).isEqualTo("prefill-0");
        assertThat(worker.path("waiting").asInt()).isEqualTo(1);
        assertThat(snapshot.path("thresholds").path("theta1_ms").asDouble()).isPositive();
        assertThat(waitFor(() -> get("/actuator/prometheus", null).body(),
                m -> m.contains("equilibria_monitor_records_rejected_total{application=\"monitor-service\","
                        + "topic=\"equilibria.request-records\"} 2.0"))).isTrue();
    }

    @Test
    void exportsTheIndicesAndTheRegimeAsPrometheusGauges() throws Exception {
        waitForJson("/api/snapshot", s -> s.path("poll").asLong() > 0);
        String metrics = get("/actuator/prometheus", null).body();

        assertThat(metrics)
                .contains("equilibria_monitor_poa_hat{application=\"monitor-service\",leg=\"prefill\","
                        + "stat=\"rolling\"}")
                .contains("equilibria_monitor_poa_hat{application=\"monitor-service\",leg=\"decode\",stat=\"p90\"}")
                .contains("equilibria_monitor_ttft_inflation{application=\"monitor-service\",stat=\"mean\"}")
                .contains("equilibria_monitor_ttft_inflation{application=\"monitor-service\",stat=\"p99\"}")
                .contains("equilibria_monitor_load_imbalance{application=\"monitor-service\",leg=\"prefill\"}")
                .contains("equilibria_monitor_regime{application=\"monitor-service\"} 0.0")
                .contains("equilibria_monitor_ttft_p99_seconds{application=\"monitor-service\"}")
                .contains("equilibria_monitor_requests_per_second{application=\"monitor-service\"}")
                .contains("equilibria_monitor_requests_in_flight{application=\"monitor-service\"}")
                .contains("equilibria_monitor_ttft_p50_seconds{application=\"monitor-service\"}")
                .contains("equilibria_monitor_ttft_p99_ewma_seconds{application=\"monitor-service\"}")
                .contains("equilibria_monitor_itl_mean_seconds{application=\"monitor-service\"}")
                .contains("equilibria_monitor_kv_hit_rate{application=\"monitor-service\"}")
                .contains("equilibria_monitor_offered_load{application=\"monitor-service\"}")
                .contains("equilibria_monitor_utilisation{application=\"monitor-service\"}")
                .contains("equilibria_monitor_regime_forced{application=\"monitor-service\"}")
                .contains("equilibria_monitor_threshold_seconds{application=\"monitor-service\",threshold=\"theta1\"}");
    }

    @Test
    void forcingARegimePublishesItsSettingsAndReleasingHandsBack() throws Exception {
        try (Consumer<String, String> consumer = routerConfigConsumer()) {
            HttpResponse<String> forced = send("POST", "/admin/regime/force", TOKEN,
                    "{\"regime\":\"transition\",\"reason\":\"drill\"}");
            assertThat(forced.statusCode()).isEqualTo(200);
            JsonNode body = json(forced.body());
            assertThat(body.path("status").path("regime").asString()).isEqualTo("TRANSITION");
            assertThat(body.path("status").path("forced").asString()).isEqualTo("TRANSITION");
            assertThat(body.path("transition").path("signals").get(0).asString()).isEqualTo("MANUAL");

            RouterConfigOverride published = awaitOverride(consumer, o -> o.reason().contains("forced TRANSITION"));
            assertThat(published.policy()).isEqualTo("round_robin");
            assertThat(published.source()).isEqualTo("monitor");

            JsonNode state = json(get("/admin/regime", TOKEN).body());
            assertThat(state.path("status").path("forced").asString()).isEqualTo("TRANSITION");
            assertThat(state.path("history").size()).isGreaterThanOrEqualTo(1);
            assertThat(state.path("thresholds").path("theta2_ms").asDouble())
                    .isGreaterThan(state.path("thresholds").path("theta1_ms").asDouble());

            HttpResponse<String> released = send("POST", "/admin/regime/release", TOKEN, "{\"reason\":\"done\"}");
            assertThat(released.statusCode()).isEqualTo(200);
            assertThat(json(released.body()).path("status").path("forced").isNull()).isTrue();
            awaitOverride(consumer, o -> o.reason().contains("released forced TRANSITION")
                    && o.routerTemperature() == 0.0);
        }
    }

    @Test
    void invalidAdminInputIsAProblemDocumentAndChangesNothing() throws Exception {
        String before = get("/admin/thresholds", TOKEN).body();

        assertProblem(send("POST", "/admin/regime/force", TOKEN, "{\"regime\":\"overloaded\"}"), 400,
                "unknown regime 'overloaded'");
        assertProblem(send("POST", "/admin/regime/force", TOKEN, "{\"reason\":\"x\"}"), 400, "regime is required");
        assertProblem(send("POST", "/admin/regime/force", TOKEN, "{\"regime\":"), 400, null);
        assertProblem(send("PUT", "/admin/thresholds", TOKEN, "{\"theta1_ms\":500,\"theta2_ms\":500}"), 400,
                "above theta1_ms");
        assertProblem(send("PUT", "/admin/thresholds", TOKEN, "{\"theta1_ms\":-5,\"theta2_ms\":100}"), 400,
                "theta1_ms must be positive");
        assertProblem(send("PUT", "/admin/thresholds", TOKEN, "{\"theta1_ms\":100,\"theta2_ms\":900,"
                + "\"confirm_polls\":0}"), 400, "confirm_polls");
        assertProblem(send("PUT", "/admin/thresholds", TOKEN, "{\"theta1_ms\":100,\"theta2_ms\":900,"
                + "\"exit_load_signal\":\"vibes\"}"), 400, "exit_load_signal");
        assertProblem(send("PUT", "/admin/thresholds", TOKEN, "{\"theta1_ms\":\"fast\"}"), 400, null);
        assertProblem(send("PUT", "/admin/thresholds", TOKEN, "{}"), 400, "nothing to change");
        assertProblem(send("PUT", "/admin/routing-table", TOKEN, "{\"saturated\":{\"policy\":\"kv\","
                + "\"router_temperature\":-1}}"), 400, "router_temperature");
        assertProblem(send("PUT", "/admin/routing-table", TOKEN, "{\"panic\":{\"policy\":\"kv\"}}"), 400,
                "unknown regime 'panic'");
        assertProblem(send("POST", "/admin/regime/release", TOKEN, "{}"), 409, "no regime is forced");
        assertProblem(get("/admin/indices?limit=0", TOKEN), 400, "limit");

        assertThat(get("/admin/thresholds", TOKEN).body()).isEqualTo(before);
    }

    @Test
    void thresholdsAndTheRoutingTableCanBeChangedAndRestored() throws Exception {
        JsonNode original = json(get("/admin/thresholds", TOKEN).body());
        try {
            HttpResponse<String> put = send("PUT", "/admin/thresholds", TOKEN,
                    "{\"theta1_ms\":1234,\"theta2_ms\":5678,\"confirm_polls\":4}");
            assertThat(put.statusCode()).isEqualTo(200);
            JsonNode now = json(get("/admin/thresholds", TOKEN).body());
            assertThat(now.path("theta1_ms").asDouble()).isEqualTo(1234);
            assertThat(now.path("theta2_ms").asDouble()).isEqualTo(5678);
            assertThat(now.path("confirm_polls").asInt()).isEqualTo(4);
            assertThat(now.path("basis").asString()).isEqualTo("set by operator");
            assertThat(now.path("ewma_alpha").asDouble()).isEqualTo(original.path("ewma_alpha").asDouble());
        } finally {
            send("PUT", "/admin/thresholds", TOKEN, "{\"theta1_ms\":" + original.path("theta1_ms").asDouble()
                    + ",\"theta2_ms\":" + original.path("theta2_ms").asDouble() + ",\"confirm_polls\":"
                    + original.path("confirm_polls").asInt() + "}");
        }

        JsonNode table = json(get("/admin/routing-table", TOKEN).body());
        assertThat(table.path("saturated").path("policy").asString()).isEqualTo("round_robin");
        try {
            HttpResponse<String> put = send("PUT", "/admin/routing-table", TOKEN,
                    "{\"saturated\":{\"policy\":\"least_loaded\"}}");
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(json(put.body()).path("saturated").path("policy").asString()).isEqualTo("least_loaded");
            assertThat(json(put.body()).path("below").path("overlap_score_weight").asDouble()).isEqualTo(1.0);
        } finally {
            send("PUT", "/admin/routing-table", TOKEN, "{\"saturated\":{\"policy\":\"round_robin\"}}");
        }
    }

    @Test
    void indexHistoryGrowsWithEveryPoll() throws Exception {
        waitForJson("/api/snapshot", s -> s.path("poll").asLong() >= 3);
        JsonNode indices = json(get("/admin/indices?limit=2", TOKEN).body());

        assertThat(indices.path("points").size()).isEqualTo(2);
        JsonNode point = indices.path("points").get(1);
        assertThat(point.has("poa_prefill")).isTrue();
        assertThat(point.has("inflation_mean")).isTrue();
        assertThat(point.has("imbalance_prefill")).isTrue();
        assertThat(indices.path("poa_hat").has("prefill")).isTrue();
        assertThat(json(get("/api/history", null).body()).path("points").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theOpenApiDocumentDescribesTheAdminApiBehindTheToken() throws Exception {
        assertThat(get("/admin/openapi.json", null).statusCode()).isEqualTo(401);
        // the first request builds the document (springdoc scans every handler): seconds on a cold, busy JVM
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(uri("/admin/openapi.json"))
                .timeout(OPENAPI_TIMEOUT).header("Authorization", TOKEN).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = json(doc.body()).path("paths");
        for (String path : List.of("/admin/regime", "/admin/regime/force", "/admin/regime/release",
                "/admin/thresholds", "/admin/indices", "/admin/routing-table", "/api/stream", "/api/snapshot")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        assertThat(paths.path("/admin/thresholds").has("put")).isTrue();
        assertThat(json(doc.body()).path("components").path("securitySchemes").has("adminToken")).isTrue();
    }

    @Test
    void servesTheDashboardAndItsChartLibraryWithoutACdn() throws Exception {
        HttpResponse<String> page = get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").doesNotContain("https://");
        assertThat(get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/uplot/1.6.30/dist/uPlot.min.css", null).statusCode()).isEqualTo(200);
        assertThat(get("/app.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/style.css", null).statusCode()).isEqualTo(200);
    }

    /**
     * The connection must keep reading after a request that arrived while the previous one was still finishing.
     * Written at once, the second request is buffered behind the first (a webjar read from its jar, answered
     * asynchronously) and, when drained, answered synchronously (a file). Reactor Netty 1.3.7 then stopped reading
     * the connection, and the third request, sent after both answers, got none: the rare hang of the static
     * {@code GET}s above, where the JDK client's next request can land before the server has finished the previous.
     */
    @Test
    void answersTheRequestAfterPipelinedOnesOnAKeptAliveConnection() throws Exception {
        String fromJar = "GET /webjars/uplot/1.6.30/dist/uPlot.min.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        String fromFile = "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(PIPELINE_READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();

            out.write((fromJar + fromFile).getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilAnswered(in, received, 2)).isEqualTo(2);
            out.write(fromFile.getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilAnswered(in, received, 3)).as("the request after the pipelined ones").isEqualTo(3);
        }
    }

    /** Reads until {@code wanted} 200 status lines came in all, the stream ended, or a read timed out. */
    private static int readUntilAnswered(InputStream in, StringBuilder received, int wanted) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int answered = okStatusLines(received);
        try {
            while (answered < wanted) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                answered = okStatusLines(received);
            }
        } catch (SocketTimeoutException e) {
            // no answer: the count says how many came
        }
        return answered;
    }

    private static int okStatusLines(CharSequence received) {
        return received.toString().split("HTTP/1.1 200 ", -1).length - 1;
    }

    @Test
    void streamsASnapshotPerPollAsServerSentEvents() throws Exception {
        assertThat(snapshotsStreamed(3)).isEqualTo(3);
    }

    @Test
    void keepsStreamingAfterThePollLoopStopsAndStartsAgain() throws Exception {
        // what Spring's lifecycle does to a paused and resumed context: stopping ends the open streams for good
        pollLoop.stop();
        pollLoop.start();

        assertThat(snapshotsStreamed(3)).isEqualTo(3);
    }

    /** Reads the SSE stream until {@code wanted} snapshots came or it ended; each must be a newer poll. */
    private int snapshotsStreamed(int wanted) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/stream")).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).build();
        // its own client: a cancelled stream must not leave a half-read connection in the shared pool
        HttpClient streamClient = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> response = streamClient.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        int snapshots = 0;
        long lastPoll = -1;
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (snapshots < wanted && it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    JsonNode s = json(line.substring(5));
                    assertThat(s.path("poll").asLong()).isGreaterThan(lastPoll);
                    assertThat(s.path("regime").path("regime").asString()).isNotEmpty();
                    lastPoll = s.path("poll").asLong();
                    snapshots++;
                } else if (line.startsWith("event:")) {
                    assertThat(line).isEqualTo("event:snapshot");
                }
            }
        }
        // the JDK closes a collected client's connections, which would end the stream early
        Reference.reachabilityFence(streamClient);
        return snapshots;
    }

    @Test
    void adminPathsNeedTheBearerToken() throws Exception {
        HttpResponse<String> anonymous = get("/admin/anything", null);
        HttpResponse<String> wrong = get("/admin/anything", "Bearer nope");
        HttpResponse<String> right = get("/admin/anything", TOKEN);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(anonymous.body()).contains("\"status\":401");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(get("/admin/regime", null).statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(404); // past the filter; no such admin endpoint
    }

    // ---- helpers ----

    private Consumer<String, String> routerConfigConsumer() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "test-router-config-" + System.nanoTime(),
                false);
        props.put("auto.offset.reset", "latest");
        Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<String, String>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer()).createConsumer();
        consumer.subscribe(List.of(Topics.ROUTER_CONFIG));
        // join the group and take the partition before anything is published
        long deadline = System.currentTimeMillis() + 10_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }

    private static RouterConfigOverride awaitOverride(Consumer<String, String> consumer,
                                                      Predicate<RouterConfigOverride> match) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                RouterConfigOverride o = EventCodec.decode(r.value(), RouterConfigOverride.class);
                if (match.test(o)) {
                    return o;
                }
            }
        }
        throw new AssertionError("no matching override on " + Topics.ROUTER_CONFIG);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = json(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotEmpty();
        if (detail != null) {
            assertThat(problem.path("detail").asString()).contains(detail);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private interface Check<T> {
        T get() throws Exception;
    }

    private static <T> boolean waitFor(Check<T> read, Predicate<T> done) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (done.test(read.get())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private JsonNode waitForJson(String path, Predicate<JsonNode> done) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = get(path, null);
            if (r.statusCode() == 200) {
                last = json(r.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting on " + path + "; last: " + last);
    }

    private static JsonNode json(String body) {
        return EventCodec.mapper().readTree(body);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
