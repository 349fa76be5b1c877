package dev.equilibria.gateway;

import static dev.equilibria.gateway.FakeWorkers.Behavior.NORMAL;
import static dev.equilibria.gateway.FakeWorkers.Behavior.SLOW;
import static dev.equilibria.protocol.WorkerRole.AGGREGATED;
import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.RequestOutcome;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.ledger.LoadLedger;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's control surfaces over a real socket and broker: the admin API and its OpenAPI document, live
 * configuration from the monitor's events, drain, the KV index fed by KV events (with a gap and the snapshot request
 * it causes), admission (queue, 429, queue timeout) and a client that goes away. Every worker takes one leg at a
 * time here, so saturation is easy to reach.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.admin.token=" + GatewayControlTests.TOKEN,
        "equilibria.gateway.id=gw-control",
        "equilibria.gateway.admission.max-inflight-per-worker=1",
        "equilibria.gateway.admission.queue-capacity=1",
        "equilibria.gateway.admission.queue-timeout=1s",
        "equilibria.gateway.admission.retry-after=2s"})
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext // free the broker and listeners for the next class
class GatewayControlTests {

    static final String TOKEN = "test-admin-token";
    private static final int BLOCK = 16; // FakeWorkers announce block_size 16

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MeterRegistry meters;
    @Autowired
    LoadLedger ledger;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeWorkers workers;
    private HeartbeatPublisher heartbeats;

    @BeforeAll
    void startFleet() throws IOException {
        workers = new FakeWorkers();
        heartbeats = new HeartbeatPublisher(broker.getBrokersAsString());
        worker("slow-a0", AGGREGATED, "slow", FakeWorkers.Behavior.HOLDS);
        worker("cancel-a0", AGGREGATED, "cancel", SLOW);
        worker("kvm-p0", PREFILL, "kvm", NORMAL);
        worker("kvm-p1", PREFILL, "kvm", NORMAL);
        worker("kvm-d0", DECODE, "kvm", NORMAL);
        worker("dr-a0", AGGREGATED, "drainable", NORMAL);
        worker("dr-a1", AGGREGATED, "drainable", NORMAL);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/admin/workers", null).body()
                .contains("dr-a1"));
    }

    @AfterAll
    void stopFleet() {
        heartbeats.close();
        workers.close();
    }

    @Test
    void theAdminApiNeedsTheToken() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/admin/router-config")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("content-type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(http.send(HttpRequest.newBuilder(uri("/admin/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void servesAnOpenApiDocumentOfTheAdminApi() throws Exception {
        HttpResponse<String> response = admin("GET", "/admin/openapi.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json(response.body());
        assertThat(doc.path("openapi").stringValue()).startsWith("3.");
        assertThat(doc.path("info").path("title").stringValue()).contains("admin");
        assertThat(names(doc.path("paths"))).contains("/admin/router-config", "/admin/router-config/fleet-override",
                "/admin/workers", "/admin/ledger", "/admin/workers/{workerId}/drain",
                "/admin/workers/{workerId}/undrain").allSatisfy(p -> assertThat(p).startsWith("/admin"));
        assertThat(doc.path("paths").path("/admin/router-config").has("put")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").path("admin-token").path("scheme")
                .stringValue()).isEqualTo("bearer");
    }

    @Test
    void getsAndReplacesTheRouterConfig() throws Exception {
        JsonNode before = json(admin("GET", "/admin/router-config", null).body());
        assertThat(before.path("effective").path("prefill").path("policy").stringValue()).isEqualTo("kv");
        assertThat(before.path("effective").path("prefill").path("overlap_score_weight").doubleValue())
                .isEqualTo(1.0);
        assertThat(before.path("effective").path("prefill").path("router_temperature").doubleValue())
                .isEqualTo(0.0);
        assertThat(before.path("precedence").size()).isEqualTo(5);
        assertThat(names(before.path("policies")).size()).isZero(); // an array, not an object
        assertThat(before.path("policies").size()).isEqualTo(7);

        try {
            HttpResponse<String> put = admin("PUT", "/admin/router-config", "{\"policy\": \"cache_balance\","
                    + " \"decode\": {\"policy\": \"least_loaded\"}, \"orchestration\": \"decode_first\"}");

            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            JsonNode after = json(put.body());
            assertThat(after.path("effective").path("prefill").path("policy").stringValue())
                    .isEqualTo("cache_balance");
            assertThat(after.path("effective").path("decode").path("policy").stringValue())
                    .isEqualTo("least_loaded");
            assertThat(after.path("effective").path("orchestration").stringValue()).isEqualTo("decode_first");
            assertThat(after.path("revision").longValue()).isGreaterThan(before.path("revision").longValue());
            assertThat(meters.get("equilibria.gateway.router.config").tag("leg", "decode")
                    .tag("policy", "least_loaded").gauge().value()).isEqualTo(1.0);
        } finally {
            admin("PUT", "/admin/router-config", "{}");
        }
    }

    @Test
    void invalidConfigIsAProblemAndNothingIsHalfApplied() throws Exception {
        JsonNode before = json(admin("GET", "/admin/router-config", null).body());

        HttpResponse<String> invalid = admin("PUT", "/admin/router-config", "{\"policy\": \"round_robin\","
                + " \"prefill\": {\"router_temperature\": -1}}");
        HttpResponse<String> unknown = admin("PUT", "/admin/router-config", "{\"temperature\": 1}");
        HttpResponse<String> malformed = admin("PUT", "/admin/router-config", "{\"policy\": ");

        for (HttpResponse<String> response : List.of(invalid, unknown, malformed)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode problem = json(response.body());
            assertThat(problem.path("status").intValue()).isEqualTo(400);
            assertThat(problem.path("title").stringValue()).isNotBlank();
            assertThat(problem.path("detail").stringValue()).isNotBlank();
            assertThat(response.body()).doesNotContain("Exception");
        }
        assertThat(json(invalid.body()).path("field").stringValue()).isEqualTo("prefill.router_temperature");
        assertThat(json(unknown.body()).path("field").stringValue()).isEqualTo("temperature");
        JsonNode after = json(admin("GET", "/admin/router-config", null).body());
        assertThat(after.path("revision")).isEqualTo(before.path("revision"));
        assertThat(after.path("effective")).isEqualTo(before.path("effective"));
    }

    /**
     * Seeded fuzz of {@code PUT /admin/router-config}: a multi-field update whose other fields are all valid (and
     * differ from the config in force) with one bad field (wrong type, out of range, unknown, broken JSON) must be
     * an RFC 7807 problem naming a field and leave the whole configuration as it was.
     */
    @Test
    void seededFuzzOfTheRouterConfigUpdateNeverHalfAppliesIt() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(0x6_7807L);
        List<String> knobs = List.of("policy", "overlap_score_weight", "router_temperature", "balance_abs_threshold",
                "balance_rel_threshold", "cache_threshold");
        // invalid for every knob: below every minimum, not finite, or of a wrong type for all of them
        List<String> badValues = List.of("-1", "\"x\"", "[]", "{}", "true", "1e400", "-0.5", "[1]");
        JsonNode before = json(admin("GET", "/admin/router-config", null).body());
        for (int i = 0; i < 120; i++) {
            java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("policy", "\"least_loaded\"");
            fields.put("overlap_score_weight", "0.25");
            fields.put("router_temperature", "0.5");
            fields.put("prefill", "{\"policy\": \"power_of_two\", \"cache_threshold\": 0.25}");
            fields.put("decode", "{\"router_temperature\": 0.1}");
            fields.put("orchestration", "\"decode_first\"");
            fields.put("remote_prefill_threshold", "256");
            int kind = random.nextInt(5);
            String body;
            if (kind == 0) { // a bad value for a shared knob
                fields.put(knobs.get(random.nextInt(knobs.size())), badValues.get(random.nextInt(badValues.size())));
                body = object(fields);
            } else if (kind == 1) { // a bad value inside one leg
                String leg = random.nextBoolean() ? "prefill" : "decode";
                fields.put(leg, "{\"policy\": \"kv\", \"" + knobs.get(random.nextInt(knobs.size())) + "\": "
                        + badValues.get(random.nextInt(badValues.size())) + "}");
                body = object(fields);
            } else if (kind == 2) { // bad orchestration or threshold
                if (random.nextBoolean()) {
                    fields.put("orchestration", badValues.get(random.nextInt(badValues.size())));
                } else {
                    fields.put("remote_prefill_threshold", List.of("-1", "1.5", "\"8\"", "[]", "1e12")
                            .get(random.nextInt(5)));
                }
                body = object(fields);
            } else if (kind == 3) { // an unknown field, at the top or in a leg
                if (random.nextBoolean()) {
                    fields.put(List.of("temperature", "polcy", "Policy", "x").get(random.nextInt(4)), "1");
                } else {
                    fields.put("decode", "{\"router_temperature\": 0.1, \"frobnicate\": 1}");
                }
                body = object(fields);
            } else { // broken JSON
                String whole = object(fields);
                body = whole.substring(0, random.nextInt(whole.length()));
            }
            HttpResponse<String> response = admin("PUT", "/admin/router-config", body);

            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode problem = json(response.body());
            assertThat(problem.path("status").intValue()).isEqualTo(400);
            assertThat(problem.path("detail").stringValue()).as(body).isNotBlank();
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
            if (kind != 4) {
                assertThat(problem.path("field").stringValue()).as(body + " -> " + response.body()).isNotBlank();
            }
            JsonNode after = json(admin("GET", "/admin/router-config", null).body());
            assertThat(after.path("revision")).as(body).isEqualTo(before.path("revision"));
            assertThat(after.path("base")).as(body).isEqualTo(before.path("base"));
            assertThat(after.path("effective")).as(body).isEqualTo(before.path("effective"));
        }
    }

    private static String object(java.util.Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "").append('"').append(name)
                .append("\": ").append(value));
        return json.append('}').toString();
    }

    @Test
    void aFleetOverrideFromTheMonitorAppliesOnTopAndShowsInAdminAndMetrics() throws Exception {
        try {
            KafkaProbe.send(broker.getBrokersAsString(), Topics.ROUTER_CONFIG, "monitor", new RouterConfigOverride(
                    "monitor", System.currentTimeMillis(), null, 0.5, 0.7, "regime saturated"));

            await().atMost(Duration.ofSeconds(15)).until(() -> json(admin("GET", "/admin/router-config", null)
                    .body()).path("effective").path("prefill").path("router_temperature").doubleValue() == 0.7);
            JsonNode config = json(admin("GET", "/admin/router-config", null).body());
            assertThat(config.path("fleet_override").path("router_temperature").doubleValue()).isEqualTo(0.7);
            assertThat(config.path("fleet_override_source").stringValue()).isEqualTo("monitor: regime saturated");
            assertThat(config.path("effective").path("decode").path("overlap_score_weight").doubleValue())
                    .isEqualTo(0.5);
            assertThat(meters.get("equilibria.gateway.router.temperature").tag("leg", "prefill").gauge().value())
                    .isEqualTo(0.7);
        } finally {
            assertThat(admin("DELETE", "/admin/router-config/fleet-override", null).statusCode()).isEqualTo(200);
        }
        assertThat(json(admin("GET", "/admin/router-config", null).body()).path("fleet_override").isNull())
                .isTrue();
    }

    @Test
    void requestsThatShareAPrefixLandWhereTheKvEventsSayItIsCached() throws Exception {
        int[] prompt = IntStream.range(1000, 1000 + 4 * BLOCK + 5).toArray();
        List<Long> hashes = Arrays.stream(new BlockHasher(BLOCK).hash(prompt)).boxed().toList();
        KafkaProbe.send(broker.getBrokersAsString(), Topics.KV_EVENTS, "kvm-p1", new KvEvent.AllCleared("kvm-p1",
                1, 0));
        KafkaProbe.send(broker.getBrokersAsString(), Topics.KV_EVENTS, "kvm-p1", new KvEvent.BlocksStored("kvm-p1",
                2, 0, null, hashes));
        await().atMost(Duration.ofSeconds(15)).until(() -> worker("kvm-p1").path("cached_blocks").intValue() == 4);
        assertThat(worker("kvm-p1").path("kv_index_synced").booleanValue()).isTrue();

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = complete("{\"model\": \"kvm\", \"prompt\": " + Arrays.toString(prompt)
                    + ", \"max_tokens\": 2}");
            assertThat(workers.calls(json(response.body()).path("id").stringValue()).get(0).workerId())
                    .isEqualTo("kvm-p1");
        }

        // a lost event: the next one shows a gap, and the gateway asks the worker for a snapshot
        long gapAt = System.currentTimeMillis();
        KafkaProbe.send(broker.getBrokersAsString(), Topics.KV_EVENTS, "kvm-p1", new KvEvent.BlocksRemoved("kvm-p1",
                9, 0, List.of(hashes.get(3))));
        List<WorkerCommand> asked = KafkaProbe.read(broker.getBrokersAsString(), Topics.WORKER_COMMANDS,
                WorkerCommand.class, c -> c.workerId().equals("kvm-p1") && c.type() == WorkerCommand.Type.KV_SNAPSHOT
                        && c.timestampMs() >= gapAt, 1, Duration.ofSeconds(15));
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).issuedBy()).isEqualTo("gw-control");
        assertThat(worker("kvm-p1").path("kv_index_synced").booleanValue()).isFalse();

        // the snapshot answers it
        KafkaProbe.send(broker.getBrokersAsString(), Topics.KV_EVENTS, "kvm-p1", new KvEvent.AllCleared("kvm-p1",
                10, 0));
        KafkaProbe.send(broker.getBrokersAsString(), Topics.KV_EVENTS, "kvm-p1", new KvEvent.BlocksStored("kvm-p1",
                11, 0, null, hashes.subList(0, 2)));
        await().atMost(Duration.ofSeconds(15)).until(() -> worker("kvm-p1").path("kv_index_synced").booleanValue());
        assertThat(worker("kvm-p1").path("cached_blocks").intValue()).isEqualTo(2);
    }

    @Test
    void drainingAWorkerStopsRoutingToItAtOnceAndTellsTheWorker() throws Exception {
        long issued = System.currentTimeMillis();
        HttpResponse<String> drain = admin("POST", "/admin/workers/dr-a0/drain", null);
        try {
            assertThat(drain.statusCode()).isEqualTo(202);
            assertThat(json(drain.body()).path("command").stringValue()).isEqualTo("drain");
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = complete("{\"model\": \"drainable\", \"prompt\": \"x\","
                        + " \"max_tokens\": 2}");
                assertThat(workers.calls(json(response.body()).path("id").stringValue()))
                        .allSatisfy(call -> assertThat(call.workerId()).isEqualTo("dr-a1"));
            }
            assertThat(worker("dr-a0").path("drained_here").booleanValue()).isTrue();
            List<WorkerCommand> sent = KafkaProbe.read(broker.getBrokersAsString(), Topics.WORKER_COMMANDS,
                    WorkerCommand.class, c -> c.workerId().equals("dr-a0") && c.timestampMs() >= issued
                            && c.type() != WorkerCommand.Type.KV_SNAPSHOT, 1, Duration.ofSeconds(15));
            assertThat(sent).extracting(WorkerCommand::type).containsExactly(WorkerCommand.Type.DRAIN);
        } finally {
            assertThat(admin("POST", "/admin/workers/dr-a0/undrain", null).statusCode()).isEqualTo(202);
        }
        assertThat(worker("dr-a0").path("drained_here").booleanValue()).isFalse();

        HttpResponse<String> unknown = admin("POST", "/admin/workers/nobody/drain", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("title").stringValue()).isEqualTo("Unknown worker");
    }

    @Test
    void listsWorkersWithRoleLoadCacheAndTrafficShare() throws Exception {
        complete("{\"model\": \"drainable\", \"prompt\": \"x\", \"max_tokens\": 2}");

        JsonNode dr = worker("dr-a1");
        assertThat(dr.path("role").stringValue()).isEqualTo("aggregated");
        assertThat(dr.path("model").stringValue()).isEqualTo("drainable");
        assertThat(dr.has("load")).isTrue();
        assertThat(dr.path("load").has("prefill_tokens")).isTrue();
        assertThat(dr.path("load").has("decode_blocks")).isTrue();
        assertThat(dr.has("cached_blocks")).isTrue();
        double share = worker("dr-a0").path("traffic_share").path("decode").doubleValue()
                + dr.path("traffic_share").path("decode").doubleValue();
        assertThat(share).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void whenEveryWorkerIsBusyRequestsQueueThenGet429ThenTimeOut() throws Exception {
        // slow-a0 takes one leg at a time and holds its stream open until released
        CompletableFuture<HttpResponse<String>> holder = completeAsync("{\"model\": \"slow\", \"prompt\": \"x\","
                + " \"max_tokens\": 4}");
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.streaming() == 1);

        CompletableFuture<HttpResponse<String>> queued = completeAsync("{\"model\": \"slow\", \"prompt\": \"x\","
                + " \"max_tokens\": 1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get(GatewayMetrics.QUEUE_DEPTH).gauge()
                .value() == 1);
        HttpResponse<String> shed = complete("{\"model\": \"slow\", \"prompt\": \"x\", \"max_tokens\": 1}");

        assertThat(shed.statusCode()).isEqualTo(429);
        assertThat(shed.headers().firstValue("retry-after")).contains("2");
        JsonNode error = json(shed.body()).path("error");
        assertThat(error.path("code").stringValue()).isEqualTo("queue_full");
        assertThat(error.path("type").stringValue()).isEqualTo("rate_limit_error");
        assertThat(meters.get(GatewayMetrics.REJECTIONS).tag("reason", "queue_full").counter().count()).isPositive();

        // the queued request waits past its deadline (1 s) behind the held stream: an explicit timeout
        HttpResponse<String> late = queued.get();
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(json(late.body()).path("error").path("code").stringValue()).isEqualTo("queue_timeout");
        assertThat(meters.get(GatewayMetrics.REJECTIONS).tag("reason", "queue_timeout").counter().count())
                .isPositive();

        // a request queued now is admitted as soon as the held one ends
        CompletableFuture<HttpResponse<String>> next = completeAsync("{\"model\": \"slow\", \"prompt\": \"x\","
                + " \"max_tokens\": 1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get(GatewayMetrics.QUEUE_DEPTH).gauge()
                .value() == 1);
        workers.release("slow-a0");
        assertThat(holder.get().statusCode()).isEqualTo(200);
        assertThat(next.get().statusCode()).as("admitted once the first request ended").isEqualTo(200);
        assertThat(meters.get(GatewayMetrics.QUEUE_WAIT).timer().count()).isPositive();
    }

    @Test
    void aClientThatGoesAwayCancelsItsWorkDownstream() throws Exception {
        double cancelledBefore = meters.get(GatewayMetrics.REQUESTS).tag("outcome", RequestOutcome.CANCELLED.tag())
                .counter().count();
        String body = "{\"model\": \"cancel\", \"prompt\": \"x\", \"max_tokens\": 200, \"stream\": true}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String received = "";
            while (!received.contains("data: ")) { // streaming
                byte[] chunk = new byte[256];
                int n = in.read(chunk);
                assertThat(n).isPositive();
                received += new String(chunk, 0, n, java.nio.charset.StandardCharsets.UTF_8);
            }
            // the prefill leg's reservation ends just after the first token went out; the decode leg's remains
            await().atMost(Duration.ofSeconds(5)).until(() -> ledger.load("cancel-a0").requests() == 1);
        } // the client goes away

        await().atMost(Duration.ofSeconds(10)).until(() -> workers.cancelled().size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.load("cancel-a0").requests() == 0);
        assertThat(meters.get(GatewayMetrics.REQUESTS).tag("outcome", RequestOutcome.CANCELLED.tag()).counter()
                .count()).isEqualTo(cancelledBefore + 1);
    }

    // ---- helpers

    private JsonNode worker(String id) throws Exception {
        for (JsonNode w : json(admin("GET", "/admin/workers", null).body())) {
            if (w.path("worker_id").stringValue().equals(id)) {
                return w;
            }
        }
        throw new AssertionError("no worker " + id);
    }

    private void worker(String id, WorkerRole role, String model, FakeWorkers.Behavior behavior) {
        FakeWorkers.Worker worker = workers.add(id, role, model, behavior);
        heartbeats.start(id, () -> workers.heartbeat(worker));
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(20));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> complete(String body) throws Exception {
        return completeAsync(body).get();
    }

    private CompletableFuture<HttpResponse<String>> completeAsync(String body) {
        return http.sendAsync(HttpRequest.newBuilder(uri("/v1/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }

    private static List<String> names(JsonNode object) {
        return object.isObject() ? StreamSupport.stream(object.propertyNames().spliterator(), false)
                .collect(Collectors.toList()) : List.of();
    }
}
