package dev.equilibria.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.allocator.decision.ReasonCode;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.event.WorkerLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The allocator over a real (embedded KRaft) broker and real sockets, with simulated workers that publish heartbeats
 * and load reports and obey role commands: it must move the least-loaded decode worker to a starved prefill pool, say
 * why on Kafka, and serve its admin API and metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.admin.token=" + AllocatorApplicationTests.TOKEN,
        "equilibria.allocator.decision-interval=300ms",
        "equilibria.allocator.min-dwell=1h",
        "equilibria.allocator.weights-min-interval=500ms"})
@EmbeddedKafka(partitions = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AllocatorApplicationTests {

    static final String TOKEN = "test-admin-token";
    private static final WorkerCapacity CAPACITY = new WorkerCapacity(256, 8192, 53539, 64, 131072);
    /** The OpenAPI document is built on its first request; a cold JVM on two busy cores took over 10 s once. */
    private static final Duration OPENAPI_TIMEOUT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, WorkerRole> roles = new ConcurrentHashMap<>(Map.of("prefill-0", WorkerRole.PREFILL,
            "decode-0", WorkerRole.DECODE, "decode-1", WorkerRole.DECODE, "decode-2", WorkerRole.DECODE));
    private final List<WorkerCommand> commands = new CopyOnWriteArrayList<>();
    private final List<Allocation> allocations = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService fleet;
    private volatile boolean running = true;

    @BeforeAll
    void pauseThenStartTheSimulatedWorkers() throws Exception {
        // pause first, so the first move is decided on the whole fleet, not on the first heartbeat heard
        assertThat(post("/admin/actuation/pause", "").statusCode()).isEqualTo(200);
        fleet = Executors.newScheduledThreadPool(3);
        fleet.scheduleAtFixedRate(this::announce, 0, 250, TimeUnit.MILLISECONDS);
        fleet.submit(() -> consume(Topics.WORKER_COMMANDS, json -> {
            WorkerCommand c = EventCodec.decode(json, WorkerCommand.class);
            commands.add(c);
            if (c.type() == WorkerCommand.Type.SET_ROLE && roles.containsKey(c.workerId())) {
                roles.put(c.workerId(), c.role()); // a simulated worker drains at once
            }
        }));
        fleet.submit(() -> consume(Topics.ALLOCATIONS, json -> allocations.add(EventCodec.decode(json,
                Allocation.class))));
    }

    @AfterAll
    void stopTheSimulatedWorkers() throws InterruptedException {
        running = false; // the consumers leave their groups while the broker still runs
        fleet.shutdown();
        fleet.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Heartbeats and load reports: the prefill pool holds eight 4096-token prompts per worker; decode is quiet. */
    private void announce() {
        long now = System.currentTimeMillis();
        int i = 0;
        for (Map.Entry<String, WorkerRole> w : new java.util.TreeMap<>(roles).entrySet()) {
            String id = w.getKey();
            WorkerRole role = w.getValue();
            kafka.send(Topics.HEARTBEATS, id, EventCodec.encode(new WorkerHeartbeat(id, role, "http://127.0.0.1:1",
                    "llama-3.1-70b", CAPACITY, false, now)));
            WorkerLoad load = role == WorkerRole.PREFILL
                    ? new WorkerLoad(id, role, now, 1, 7, 600, 53539, 8 * 4096, 0)
                    : new WorkerLoad(id, role, now, id.equals("decode-1") ? 1 : 3, 0, 100 * (++i), 53539, 0, 0);
            kafka.send(Topics.WORKER_LOAD, id, EventCodec.encode(load));
        }
    }

    private void consume(String topic, java.util.function.Consumer<String> handler) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(r.value());
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // test over
        }
    }

    @Test
    @Order(1)
    void movesTheLeastLoadedDecodeWorkerToAStarvedPrefillPoolAndSaysWhyOnKafka() throws Exception {
        JsonNode held = awaitAllocation(a -> a.path("current").path("decode").asInt() == 3
                && a.path("last_decision").path("reason_code").asString().equals(ReasonCode.PAUSED));
        assertThat(held.path("last_decision").path("action").asString()).isEqualTo("change");
        assertThat(commands).isEmpty();

        assertThat(post("/admin/actuation/resume", "").statusCode()).isEqualTo(200);
        JsonNode moved = awaitAllocation(a -> a.path("current").path("prefill").asInt() == 2);

        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.workerId()).isEqualTo("decode-1");
            assertThat(c.role()).isEqualTo(WorkerRole.PREFILL);
        });
        assertThat(moved.path("current").path("decode").asInt()).isEqualTo(2);
        assertThat(moved.path("actuation").path("last_change").isNull()).isFalse();
        awaitTrue(() -> allocations.stream().anyMatch(a -> a.reason().contains("set_role prefill sent to decode-1")
                && a.prefillWorkers() == 2 && a.decodeWorkers() == 2), "the change published with its reasons");
        awaitTrue(() -> allocations.stream().anyMatch(a -> a.reason().startsWith("advisory: ")
                && a.reason().contains("actuation paused")), "the held change published as advisory");
        assertThat(allocations.get(allocations.size() - 1).routingWeights()).containsKeys("prefill-0", "decode-1");

        String metrics = get("/actuator/prometheus", false).body();
        assertThat(metrics)
                .contains("equilibria_allocator_pool_workers{application=\"allocator-service\",kind=\"actual\",pool=\"prefill\"} 2.0")
                .contains("equilibria_allocator_decisions_total{action=\"change\",application=\"allocator-service\",reason=\"step\"} 1.0")
                .contains("equilibria_allocator_decisions_total{action=\"change\",application=\"allocator-service\",reason=\"paused\"}")
                .contains("equilibria_allocator_split_poa{application=\"allocator-service\",outcome=\"competition\"}")
                .contains("equilibria_allocator_demand_arrival_rate{application=\"allocator-service\",kind=\"forecast\"}")
                .contains("equilibria_allocator_predicted_ttft_seconds{application=\"allocator-service\",split=\"current\"}")
                .contains("equilibria_allocator_predicted_itl_seconds{application=\"allocator-service\",split=\"target\"}")
                .contains("equilibria_allocator_paused{application=\"allocator-service\"} 0.0")
                .contains("equilibria_allocator_pool_waiting{application=\"allocator-service\",role=\"prefill\"}")
                .contains("equilibria_fleet_workers{application=\"allocator-service\",role=\"decode\"} 2.0");
    }

    @Test
    @Order(2)
    void theAllocationViewCarriesTheGameAnalysisWithNonFiniteNumbersAsNull() throws Exception {
        JsonNode a = awaitAllocation(v -> !v.path("game").isMissingNode() && !v.path("game").isNull());

        JsonNode game = a.path("game");
        assertThat(game.path("budget").asInt()).isEqualTo(4);
        assertThat(game.path("equilibrium").path("split").path("prefill").asInt()).isBetween(1, 3);
        assertThat(game.path("equilibrium").has("marginal_gap")).isTrue();
        assertThat(game.path("optimum").path("split").path("prefill").asInt()).isBetween(1, 3);
        assertThat(game.path("competition").path("dynamics").asString()).isIn("fixed_point", "cycle");
        assertThat(game.path("poa").path("competition").isNumber()).isTrue();
        assertThat(game.path("splits")).hasSize(3);
        assertThat(a.path("demand").path("source").asString()).isEqualTo("worker_load");
        assertThat(a.path("last_decision").path("reasons").isArray()).isTrue();
        assertThat(a.path("budget").path("source").asString()).isEqualTo("live_workers");
        // one prefill worker at this load is saturated: its TTFT does not exist and is written as null
        JsonNode onePrefill = game.path("splits").get(0);
        assertThat(onePrefill.path("split").path("prefill").asInt()).isEqualTo(1);
        assertThat(onePrefill.path("ttft_seconds").isNull()).isTrue();
    }

    @Test
    @Order(3)
    void budgetAndSloAreValidatedWholeAndBadInputIsAProblemDocument() throws Exception {
        HttpResponse<String> tooSmall = put("/admin/budget", "{\"budget\": 1}");
        assertProblem(tooSmall, "budget");
        assertProblem(put("/admin/budget", "{}"), "budget");
        assertProblem(put("/admin/budget", "{\"budget\": 3, \"auto\": true}"), "budget");
        HttpResponse<String> malformed = put("/admin/budget", "{\"budget\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        assertThat(malformed.body()).doesNotContain("\tat ");

        JsonNode budget = json(put("/admin/budget", "{\"budget\": 3}"));
        assertThat(budget.path("configured").asInt()).isEqualTo(3);
        assertThat(budget.path("effective").asInt()).isEqualTo(3);
        assertThat(json(put("/admin/budget", "{\"auto\": true}")).path("source").asString()).isEqualTo("live_workers");

        assertProblem(put("/admin/slo", "{\"ttft_seconds\": 0.3, \"itl_seconds\": -1}"), "itl_seconds");
        assertProblem(put("/admin/slo", "{\"ttft_seconds\": 0.3}"), "itl_seconds");
        JsonNode unchanged = json(get("/admin/slo", true));
        assertThat(unchanged.path("ttft_seconds").asDouble()).as("nothing half-applied").isEqualTo(0.5);
        JsonNode slo = json(put("/admin/slo", "{\"ttft_seconds\": 0.3, \"itl_seconds\": 0.04}"));
        assertThat(slo.path("ttft_seconds").asDouble()).isEqualTo(0.3);
        assertThat(slo.path("itl_seconds").asDouble()).isEqualTo(0.04);
        put("/admin/slo", "{\"ttft_seconds\": 0.5, \"itl_seconds\": 0.05}");
    }

    @Test
    @Order(4)
    void whatIfSolvesAGivenLoadWithoutActing() throws Exception {
        int before = commands.size();
        JsonNode w = json(post("/admin/what-if", "{\"arrival_rate\": 40, \"mean_input_tokens\": 4096, "
                + "\"mean_output_tokens\": 8, \"budget\": 8}"));

        assertThat(w.path("objective").asString()).isEqualTo("optimum");
        assertThat(w.path("recommended").path("prefill").asInt()).isGreaterThan(4);
        assertThat(w.path("game").path("budget").asInt()).isEqualTo(8);
        assertThat(w.path("game").path("splits")).hasSize(7);
        assertThat(w.path("current_split").isNull()).as("the fleet has 4 workers, not 8").isTrue();
        assertThat(commands).hasSize(before);

        assertProblem(post("/admin/what-if", "{\"arrival_rate\": 40, \"mean_input_tokens\": 4096}"),
                "mean_output_tokens");
        assertProblem(post("/admin/what-if", "{\"arrival_rate\": -1, \"mean_input_tokens\": 1, "
                + "\"mean_output_tokens\": 1}"), "arrival_rate");
        assertProblem(post("/admin/what-if", "{\"arrival_rate\": 1, \"mean_input_tokens\": 1, "
                + "\"mean_output_tokens\": 1, \"prefix_hit_rate\": 1.5}"), "prefix_hit_rate");
    }

    @Test
    @Order(5)
    void pauseAndResumeShowInTheApiAndTheMetrics() throws Exception {
        JsonNode paused = json(post("/admin/actuation/pause", ""));
        assertThat(paused.path("paused").asBoolean()).isTrue();
        assertThat(paused.path("actuator").asString()).isEqualTo("local");
        assertThat(get("/actuator/prometheus", false).body())
                .contains("equilibria_allocator_paused{application=\"allocator-service\"} 1.0");
        assertThat(json(post("/admin/actuation/resume", "")).path("paused").asBoolean()).isFalse();
    }

    @Test
    @Order(6)
    void theAdminApiNeedsTheTokenAndItsOpenApiDocumentListsEveryPath() throws Exception {
        HttpResponse<String> anonymous = get("/admin/allocation", false);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));

        // the first request builds the document (springdoc scans every handler): seconds on a cold, busy JVM
        HttpResponse<String> doc = http.send(request("/admin/openapi.json").timeout(OPENAPI_TIMEOUT)
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = json(doc).path("paths");
        Set<String> listed = new TreeSet<>();
        paths.propertyNames().forEach(listed::add);
        assertThat(listed).containsExactlyInAnyOrder("/admin/allocation", "/admin/budget", "/admin/slo",
                "/admin/what-if", "/admin/actuation", "/admin/actuation/pause", "/admin/actuation/resume");
        assertThat(paths.path("/admin/budget").has("put")).isTrue();
        assertThat(paths.path("/admin/slo").has("put")).isTrue();
        assertThat(json(doc).path("components").path("securitySchemes").has("admin-token")).isTrue();
    }

    @Test
    @Order(7)
    void isHealthyWhenKafkaIsReachable() throws Exception {
        HttpResponse<String> health = get("/actuator/health", false);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("kafka");
        // readiness holds on to "reached once", not to the live check, so a broker outage keeps replicas in rotation
        JsonNode readiness = json(get("/actuator/health/readiness", false));
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").path("kafkaReached").path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").has("kafka")).isFalse();
    }

    private JsonNode awaitAllocation(Predicate<JsonNode> condition) throws Exception {
        JsonNode last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            last = json(get("/admin/allocation", true));
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("allocation never matched; last: " + last);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void assertProblem(HttpResponse<String> response, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = EventCodec.mapper().readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("detail").asString()).contains(field);
        assertThat(response.body()).doesNotContain("\tat ");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private HttpResponse<String> get(String path, boolean token) throws Exception {
        HttpRequest.Builder b = request(path);
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(request(path).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }
}
