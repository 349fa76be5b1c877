package dev.equilibria.allocator;

import static dev.equilibria.service.testing.AdminFuzz.assertProblem;
import static dev.equilibria.service.testing.AdminFuzz.fields;
import static dev.equilibria.service.testing.AdminFuzz.with;
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
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded fuzz of the allocator's admin writes over a real socket ({@code PUT /admin/budget}, {@code PUT /admin/slo},
 * {@code POST /admin/what-if}): every bad request is a 4xx RFC 7807 problem without a stack trace, and the settings
 * read back through the admin API afterwards are exactly those before it, even when all but one field of the request
 * were valid. The context configuration is {@link AllocatorApplicationTests}'s, so both classes share one application
 * and broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.admin.token=" + AllocatorApplicationTests.TOKEN,
        "equilibria.allocator.decision-interval=300ms",
        "equilibria.allocator.min-dwell=1h",
        "equilibria.allocator.weights-min-interval=500ms"})
@EmbeddedKafka(partitions = 1)
class AllocatorAdminFuzzTests {

    private static final String TOKEN = "Bearer " + AllocatorApplicationTests.TOKEN;
    private static final int CASES = 100;
    /** Not a number, not finite, or of a type no number field takes. */
    private static final List<String> NOT_A_NUMBER = List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400",
            "-1e400", "\"fast\"", "[]", "{}", "true", "[1]", "{\"value\": 1}");

    private static final AdminFuzz BUDGET = new AdminFuzz(fields("budget", "7", "auto", "false"), Map.of(
            "budget", List.of("1", "0", "-1", "4097", "2147483648", "99999999999", "2.5", "1e400", "\"seven\"",
                    "\"NaN\"", "[]", "{}", "[7]", "true"),
            "auto", List.of("true", "\"yes\"", "\"NaN\"", "[]", "{}", "[true]")),
            List.of("budgets", "workers", "Budget", "x"), false);

    private static final AdminFuzz SLO = new AdminFuzz(fields("ttft_seconds", "0.75", "itl_seconds", "0.04"),
            Map.of("ttft_seconds", with(NOT_A_NUMBER, "0", "-1", "3601", "1e10", "null"),
                    "itl_seconds", with(NOT_A_NUMBER, "0", "-0.05", "3600.5", "null")),
            List.of("ttft", "itl", "ttftSeconds", "tpot_seconds", "x"), false);

    private static final AdminFuzz WHAT_IF = new AdminFuzz(fields("arrival_rate", "20", "mean_input_tokens", "2048",
            "p90_input_tokens", "4096", "mean_output_tokens", "256", "prefix_hit_rate", "0.3", "budget", "6"),
            Map.of("arrival_rate", with(NOT_A_NUMBER, "-1", "1e10", "null"),
                    "mean_input_tokens", with(NOT_A_NUMBER, "-2048", "1.5e9", "null"),
                    "p90_input_tokens", with(NOT_A_NUMBER, "-1", "1e10"),
                    "mean_output_tokens", with(NOT_A_NUMBER, "-256", "2e9", "null"),
                    "prefix_hit_rate", with(NOT_A_NUMBER, "-0.1", "1.5", "2"),
                    "budget", List.of("1", "0", "-6", "4097", "2.5", "1e400", "99999999999", "\"six\"", "[]", "{}")),
            List.of("rate", "arrivalRate", "objective", "split", "x"), false);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void seededFuzzOfTheBudgetUpdateNeverAppliesIt() throws Exception {
        fuzz("PUT", "/admin/budget", BUDGET, 0x7807_0011L);
    }

    @Test
    void seededFuzzOfTheSloUpdateNeverHalfAppliesIt() throws Exception {
        fuzz("PUT", "/admin/slo", SLO, 0x7807_0012L);
    }

    @Test
    void seededFuzzOfWhatIfIsRefusedAndChangesNothing() throws Exception {
        fuzz("POST", "/admin/what-if", WHAT_IF, 0x7807_0013L);
    }

    @Test
    void validRequestsStillWorkAfterTheFuzz() throws Exception {
        JsonNode budget = json(get("/admin/budget").body());
        JsonNode slo = json(get("/admin/slo").body());
        try {
            HttpResponse<String> put = send("PUT", "/admin/budget", TOKEN, "application/json", BUDGET.validBody());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(json(get("/admin/budget").body()).path("configured").asInt()).isEqualTo(7);

            HttpResponse<String> setSlo = send("PUT", "/admin/slo", TOKEN, "application/json", SLO.validBody());
            assertThat(setSlo.statusCode()).as(setSlo.body()).isEqualTo(200);
            assertThat(json(get("/admin/slo").body())).isEqualTo(json("{\"ttft_seconds\": 0.75,"
                    + " \"itl_seconds\": 0.04}"));

            HttpResponse<String> whatIf = send("POST", "/admin/what-if", TOKEN, "application/json",
                    WHAT_IF.validBody());
            assertThat(whatIf.statusCode()).as(whatIf.body()).isEqualTo(200);
            assertThat(json(whatIf.body()).path("game").path("budget").asInt()).isEqualTo(6);
            assertThat(json(whatIf.body()).path("recommended").path("prefill").asInt()).isBetween(1, 5);
        } finally {
            String restore = budget.path("configured").isNull() ? "{\"auto\": true}"
                    : "{\"budget\": " + budget.path("configured").asInt() + "}";
            assertThat(send("PUT", "/admin/budget", TOKEN, "application/json", restore).statusCode()).isEqualTo(200);
            assertThat(send("PUT", "/admin/slo", TOKEN, "application/json", slo.toString()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(json(get("/admin/slo").body())).isEqualTo(slo);
        assertThat(json(get("/admin/budget").body()).path("configured")).isEqualTo(budget.path("configured"));
    }

    @Test
    void everyAdminWriteNeedsTheToken() throws Exception {
        JsonNode before = state();
        Map<String, String> writes = new LinkedHashMap<>();
        writes.put("PUT /admin/budget", BUDGET.validBody());
        writes.put("PUT /admin/slo", SLO.validBody());
        writes.put("POST /admin/what-if", WHAT_IF.validBody());
        for (Map.Entry<String, String> write : writes.entrySet()) {
            String[] request = write.getKey().split(" ");
            for (String authorization : new String[] {null, "Bearer wrong-token", AllocatorApplicationTests.TOKEN}) {
                HttpResponse<String> refused = send(request[0], request[1], authorization, "application/json",
                        write.getValue());

                assertThat(refused.statusCode()).as(write.getKey() + " with " + authorization).isEqualTo(401);
                assertProblem(refused, write.getKey() + " with " + authorization);
            }
        }
        assertThat(state()).isEqualTo(before);
    }

    // ---- the fuzz

    private void fuzz(String method, String path, AdminFuzz endpoint, long seed) throws Exception {
        endpoint.assertEveryCaseRefusedWhole(method + " " + path, seed, CASES, bad -> http.send(
                request(path, TOKEN, bad.contentType()).method(method,
                        HttpRequest.BodyPublishers.ofByteArray(bad.body())).build(),
                HttpResponse.BodyHandlers.ofString()), this::state);
    }

    /**
     * What an admin write can change, read back through the admin API: the configured budget and where it comes
     * from, the SLOs, and whether actuation is paused (the effective budget follows the live workers, so it is left
     * out).
     */
    private JsonNode state() throws Exception {
        JsonNode budget = json(get("/admin/budget").body());
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.set("budget_configured", budget.path("configured"));
        state.set("budget_source", budget.path("source"));
        state.set("slo", json(get("/admin/slo").body()));
        state.set("paused", json(get("/admin/actuation").body()).path("paused"));
        return state;
    }

    // ---- helpers

    private static JsonNode json(String body) {
        return EventCodec.mapper().readTree(body);
    }

    private HttpRequest.Builder request(String path, String authorization, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = http.send(request(path, TOKEN, null).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> send(String method, String path, String authorization, String contentType,
                                      String body) throws Exception {
        return http.send(request(path, authorization, contentType).method(method,
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
