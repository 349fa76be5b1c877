package dev.equilibria.monitor;

import static dev.equilibria.service.testing.AdminFuzz.assertProblem;
import static dev.equilibria.service.testing.AdminFuzz.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.service.testing.AdminFuzz;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded fuzz of the monitor's admin writes over a real socket ({@code PUT /admin/thresholds},
 * {@code PUT /admin/routing-table}, {@code POST /admin/regime/force} and {@code /regime/release}): every bad request
 * is a 4xx RFC 7807 problem without a stack trace, and the state read back through the admin API afterwards is
 * exactly the state before it, even when all but one field of a multi-field update were valid. The context
 * configuration is {@link MonitorApplicationTests}'s, so both classes share one application and broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "equilibria.admin.token=test-token",
        "equilibria.monitor.poll-interval=200ms"})
@EmbeddedKafka(partitions = 1)
class MonitorAdminFuzzTests {

    private static final String TOKEN = "Bearer test-token";
    private static final int CASES = 100;
    private static final String LONG_TEXT = "\"" + "r".repeat(10_000) + "\"";

    /** Every field set, each different from the defaults, and valid together. */
    private static final AdminFuzz THRESHOLDS = new AdminFuzz(fields(
            "theta1_ms", "1111", "theta2_ms", "2222", "basis", "\"fuzz\"", "ewma_alpha", "0.35",
            "confirm_polls", "5", "utilisation_transition", "0.7", "utilisation_saturated", "0.95",
            "queue_cap", "0.9", "kv_cap", "0.85", "symptom_exit_margin", "0.15", "load_exit_margin", "0.05",
            "exit_load_signal", "\"utilisation\""), Map.ofEntries(
            Map.entry("theta1_ms", List.of("-1", "0", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400", "-1e400",
                    "2222", "5000", "\"fast\"", "[]", "{}", "true", "[1111]", "{\"ms\": 1111}")),
            Map.entry("theta2_ms", List.of("-1", "0", "1111", "1000", "\"NaN\"", "\"Infinity\"", "1e400",
                    "\"slow\"", "[]", "{}", "false")),
            Map.entry("basis", List.of("[]", "{}", "[\"fuzz\"]", LONG_TEXT)),
            Map.entry("ewma_alpha", List.of("0", "-0.5", "1.0001", "2", "\"NaN\"", "1e400", "\"a\"", "[]", "{}")),
            Map.entry("confirm_polls", List.of("0", "-1", "2.5", "1e400", "99999999999", "-99999999999",
                    "\"three\"", "[]", "{}", "true")),
            Map.entry("utilisation_transition", List.of("0", "-1", "0.95", "2", "\"NaN\"", "\"Infinity\"",
                    "1e400", "[]")),
            Map.entry("utilisation_saturated", List.of("0.7", "0.5", "\"Infinity\"", "1e400", "\"NaN\"", "{}")),
            Map.entry("queue_cap", List.of("0", "-1", "\"Infinity\"", "\"NaN\"", "1e400", "[0.9]")),
            Map.entry("kv_cap", List.of("0", "1.5", "-0.1", "\"NaN\"", "1e400", "\"full\"")),
            Map.entry("symptom_exit_margin", List.of("1", "-0.1", "1.5", "\"NaN\"", "1e400")),
            Map.entry("load_exit_margin", List.of("1", "-0.01", "\"NaN\"", "{}")),
            Map.entry("exit_load_signal", List.of("\"vibes\"", "\"\"", "\" \"", "\"offered-load\"", "[]", "{}",
                    "[\"utilisation\"]"))),
            List.of("theta1", "theta1Ms", "theta_3_ms", "regime", "x", "Theta1_ms"), false);

    private static final AdminFuzz ROUTING_TABLE = new AdminFuzz(fields(
            "below", "{\"policy\": \"least_loaded\"}",
            "transition", "{\"policy\": \"kv\", \"overlap_score_weight\": 0.5, \"router_temperature\": 0.3}",
            "saturated", "{\"policy\": \"power_of_two\"}"), Map.of(
            "below", badRoutes(), "transition", badRoutes(), "saturated", badRoutes()),
            List.of("panic", "overloaded", "", "below_", "x"), false);

    private static final AdminFuzz FORCE = new AdminFuzz(fields("regime", "\"saturated\"", "reason", "\"fuzz\""),
            Map.of("regime", List.of("\"overloaded\"", "\"\"", "\"  \"", "null", "[]", "{}", "[\"saturated\"]",
                            "{\"name\": \"saturated\"}", "\"saturate\"", "\"saturated!\""),
                    "reason", List.of("\"" + "r".repeat(501) + "\"", LONG_TEXT, "[]", "{}", "[\"fuzz\"]")),
            List.of("force", "regim", "until", "x"), false);

    private static final AdminFuzz RELEASE = new AdminFuzz(fields("reason", "\"done\""),
            Map.of("reason", List.of("\"" + "r".repeat(501) + "\"", LONG_TEXT, "[]", "{}", "[\"done\"]",
                    "{\"text\": \"done\"}")),
            List.of("regime", "force", "reasons", "x"), true);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void releaseAnyForcedRegime() throws Exception {
        send("POST", "/admin/regime/release", TOKEN, "application/json", bytes("{}"));
    }

    @Test
    void seededFuzzOfTheThresholdsUpdateNeverHalfAppliesIt() throws Exception {
        fuzz("PUT", "/admin/thresholds", THRESHOLDS, 0x7807_0001L);
    }

    @Test
    void seededFuzzOfTheRoutingTableUpdateNeverHalfAppliesIt() throws Exception {
        fuzz("PUT", "/admin/routing-table", ROUTING_TABLE, 0x7807_0002L);
    }

    @Test
    void seededFuzzOfForcingARegimeNeverForcesIt() throws Exception {
        fuzz("POST", "/admin/regime/force", FORCE, 0x7807_0003L);
    }

    @Test
    void seededFuzzOfReleasingAForcedRegimeNeverReleasesIt() throws Exception {
        assertThat(send("POST", "/admin/regime/force", TOKEN, "application/json",
                bytes("{\"regime\": \"transition\", \"reason\": \"held for the fuzz\"}")).statusCode()).isEqualTo(200);

        fuzz("POST", "/admin/regime/release", RELEASE, 0x7807_0004L);

        assertThat(state().path("forced").asString()).isEqualTo("TRANSITION");
    }

    @Test
    void validUpdatesStillApplyWholeAfterTheFuzz() throws Exception {
        JsonNode thresholds = json(get("/admin/thresholds").body());
        JsonNode table = json(get("/admin/routing-table").body());
        try {
            HttpResponse<String> put = send("PUT", "/admin/thresholds", TOKEN, "application/json",
                    bytes(THRESHOLDS.validBody()));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            JsonNode now = json(get("/admin/thresholds").body());
            assertThat(now).isEqualTo(json("{\"theta1_ms\": 1111.0, \"theta2_ms\": 2222.0,"
                    + " \"basis\": \"set by operator: fuzz\", \"ewma_alpha\": 0.35, \"confirm_polls\": 5,"
                    + " \"utilisation_transition\": 0.7, \"utilisation_saturated\": 0.95, \"queue_cap\": 0.9,"
                    + " \"kv_cap\": 0.85, \"symptom_exit_margin\": 0.15, \"load_exit_margin\": 0.05,"
                    + " \"exit_load_signal\": \"utilisation\"}"));

            HttpResponse<String> route = send("PUT", "/admin/routing-table", TOKEN, "application/json",
                    bytes(ROUTING_TABLE.validBody()));
            assertThat(route.statusCode()).as(route.body()).isEqualTo(200);
            JsonNode routes = json(get("/admin/routing-table").body());
            assertThat(routes.path("below").path("policy").asString()).isEqualTo("least_loaded");
            assertThat(routes.path("transition").path("router_temperature").asDouble()).isEqualTo(0.3);
            assertThat(routes.path("saturated").path("policy").asString()).isEqualTo("power_of_two");

            HttpResponse<String> force = send("POST", "/admin/regime/force", TOKEN, "application/json",
                    bytes(FORCE.validBody()));
            assertThat(force.statusCode()).as(force.body()).isEqualTo(200);
            assertThat(state().path("forced").asString()).isEqualTo("SATURATED");
            HttpResponse<String> release = send("POST", "/admin/regime/release", TOKEN, "application/json",
                    bytes(RELEASE.validBody()));
            assertThat(release.statusCode()).as(release.body()).isEqualTo(200);
            assertThat(state().path("forced").isNull()).isTrue();
        } finally {
            ObjectNode restore = (ObjectNode) thresholds.deepCopy();
            restore.remove("basis");
            assertThat(send("PUT", "/admin/thresholds", TOKEN, "application/json", bytes(restore.toString()))
                    .statusCode()).isEqualTo(200);
            assertThat(send("PUT", "/admin/routing-table", TOKEN, "application/json", bytes(table.toString()))
                    .statusCode()).isEqualTo(200);
        }
        assertThat(json(get("/admin/routing-table").body())).isEqualTo(table);
    }

    @Test
    void everyAdminWriteNeedsTheToken() throws Exception {
        JsonNode before = state();
        Map<String, String> writes = new LinkedHashMap<>();
        writes.put("PUT /admin/thresholds", THRESHOLDS.validBody());
        writes.put("PUT /admin/routing-table", ROUTING_TABLE.validBody());
        writes.put("POST /admin/regime/force", FORCE.validBody());
        writes.put("POST /admin/regime/release", RELEASE.validBody());
        for (Map.Entry<String, String> write : writes.entrySet()) {
            String[] request = write.getKey().split(" ");
            for (String authorization : new String[] {null, "Bearer wrong-token", "test-token"}) {
                HttpResponse<String> refused = send(request[0], request[1], authorization, "application/json",
                        bytes(write.getValue()));

                assertThat(refused.statusCode()).as(write.getKey() + " with " + authorization).isEqualTo(401);
                assertProblem(refused, write.getKey());
            }
        }
        assertThat(state()).isEqualTo(before);
    }

    // ---- the fuzz

    private void fuzz(String method, String path, AdminFuzz endpoint, long seed) throws Exception {
        endpoint.assertEveryCaseRefusedWhole(method + " " + path, seed, CASES,
                bad -> send(method, path, TOKEN, bad.contentType(), bad.body()), this::state);
    }

    /**
     * What an admin write can change, read back through the admin API: thresholds and detector parameters, the
     * routing table, the forced regime and the operator's entries in the history (the detector's own transitions
     * are left out: they follow the polls, not the API).
     */
    private JsonNode state() throws Exception {
        JsonNode regime = json(get("/admin/regime").body());
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.set("thresholds", regime.path("thresholds"));
        state.set("routing_table", json(get("/admin/routing-table").body()));
        state.set("forced", regime.path("status").path("forced"));
        state.set("operator_history", JsonNodeFactory.instance.arrayNode().addAll(StreamSupport.stream(
                regime.path("history").spliterator(), false).filter(t -> t.path("signals").toString()
                        .contains("MANUAL")).toList()));
        return state;
    }

    // ---- helpers

    /** Settings for one regime, each invalid on its own. */
    private static List<String> badRoutes() {
        return List.of("{\"policy\": \"frobnicate\"}", "{\"policy\": \"\"}", "{\"policy\": \"  \"}",
                "{\"policy\": \"kv\", \"router_temperature\": -1}",
                "{\"policy\": \"kv\", \"overlap_score_weight\": -0.5}",
                "{\"policy\": \"kv\", \"router_temperature\": \"NaN\"}",
                "{\"policy\": \"kv\", \"overlap_score_weight\": \"Infinity\"}",
                "{\"policy\": \"kv\", \"router_temperature\": 1e400}",
                "{\"policy\": \"kv\", \"router_temperature\": \"hot\"}", "{\"policy\": []}", "{\"policy\": {}}",
                "null", "[]", "\"kv\"", "42", "{\"policy\": \"kv\", \"temperature\": 1}",
                "{\"policy\": \"kv\", \"overlap_score_weight\": {\"x\": [1, [2]]}}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String body) {
        return EventCodec.mapper().readTree(body);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> send(String method, String path, String authorization, String contentType,
                                      byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
