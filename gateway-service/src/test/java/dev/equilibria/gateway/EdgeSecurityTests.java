package dev.equilibria.gateway;

import static dev.equilibria.gateway.FakeWorkers.Behavior.NORMAL;
import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.gateway.edge.RawHttp;
import dev.equilibria.protocol.event.EventCodec;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The gateway with API keys on (from the key setting and from a key file) and an admin token, over a real socket
 * with fake workers on a real broker: keys are required and checked, each key has its own token bucket, the admin
 * API takes only its token, CORS stays closed, and neither the admin token nor any key appears in the logs, from
 * startup (with debug logging on) to shutdown.
 */
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeSecurityTests {

    static final String ADMIN_TOKEN = "adm-9f3c2b7e41d84a6f";
    static final String FAST_KEY = "sk-fast-0c1d2e3f4a5b6c7d";
    static final String SLOW_KEY = "sk-slow-8e9f0a1b2c3d4e5f";
    static final String FILE_KEY = "sk-file-7a6b5c4d3e2f1a0b";
    static final String WRONG_KEY = "sk-wrong-1234567890abcdef";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeWorkers workers;
    private HeartbeatPublisher heartbeats;
    private ConfigurableApplicationContext gateway;
    private int port;

    @BeforeAll
    void start(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("api-keys");
        Files.writeString(keyFile, "# keys of the file\nfile-team:" + FILE_KEY + "\n");
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--equilibria.admin.token=" + ADMIN_TOKEN,
                "--equilibria.gateway.api-keys.enabled=true",
                "--equilibria.gateway.api-keys.keys=fast-team:" + FAST_KEY + ":1000:1000,slow-team:" + SLOW_KEY
                        + ":0.2:2",
                "--equilibria.gateway.api-keys.file=" + keyFile,
                "--logging.level.dev.equilibria=DEBUG",
                "--logging.level.org.springframework.web=DEBUG",
                "--logging.level.reactor.netty.http.server=DEBUG",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN",
                "--logging.level.state.change.logger=WARN");
        port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        workers = new FakeWorkers();
        heartbeats = new HeartbeatPublisher(broker.getBrokersAsString());
        for (var worker : List.of(workers.add("sec-p0", PREFILL, "tiny", NORMAL),
                workers.add("sec-d0", DECODE, "tiny", NORMAL))) {
            heartbeats.start(worker.id(), () -> workers.heartbeat(worker));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> json(send("GET", "/v1/models", FAST_KEY, null).body())
                .path("data").size() == 1);
    }

    @AfterAll
    void stop() {
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (workers != null) {
            workers.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void everyApiPathNeedsAConfiguredKey() throws Exception {
        for (String path : List.of("/v1/models", "/v1/models/tiny")) {
            assertInvalidKey(send("GET", path, null, null));
            assertInvalidKey(send("GET", path, WRONG_KEY, null));
        }
        assertInvalidKey(complete(null));
        assertInvalidKey(complete(WRONG_KEY));
        assertInvalidKey(complete(FAST_KEY.substring(0, FAST_KEY.length() - 1)));
        assertInvalidKey(sendWithHeader("Authorization", "Basic " + FAST_KEY));

        assertThat(complete(FAST_KEY).statusCode()).isEqualTo(200);
        assertThat(complete(FILE_KEY).statusCode()).isEqualTo(200);
        assertThat(sendWithHeader("Authorization", "bearer " + FAST_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void eachKeyHasItsOwnTokenBucket() throws Exception {
        // slow-team: burst 2, then 0.2 requests/s: the third request is refused with the time to the next token
        assertThat(complete(SLOW_KEY).statusCode()).isEqualTo(200);
        assertThat(complete(SLOW_KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = complete(SLOW_KEY);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(
                value -> assertThat(Long.parseLong(value)).isBetween(1L, 5L));
        JsonNode error = json(limited.body()).path("error");
        assertThat(error.path("type").stringValue()).isEqualTo("rate_limit_error");
        assertThat(error.path("code").stringValue()).isEqualTo("rate_limit_exceeded");
        assertThat(error.has("param")).isTrue();
        // the other keys are not affected
        assertThat(complete(FAST_KEY).statusCode()).isEqualTo(200);
        assertThat(complete(FILE_KEY).statusCode()).isEqualTo(200);
        assertThat(metric("equilibria_gateway_api_key_requests_total{application=\"gateway-service\",key=\"slow-team\","
                + "result=\"rate_limited\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(3)
    void theAdminApiTakesOnlyItsOwnToken() throws Exception {
        assertThat(send("GET", "/admin/router-config", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> withApiKey = send("GET", "/admin/router-config", FAST_KEY, null);
        assertThat(withApiKey.statusCode()).isEqualTo(401);
        assertThat(withApiKey.headers().firstValue("content-type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/problem+json"));
        assertThat(send("GET", "/admin/router-config", ADMIN_TOKEN + "x", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/admin/router-config", ADMIN_TOKEN, null).statusCode()).isEqualTo(200);
        // the admin token is not an API key
        assertInvalidKey(send("GET", "/v1/models", ADMIN_TOKEN, null));
    }

    @Test
    @Order(4)
    void corsIsClosedByDefault() throws Exception {
        for (String path : List.of("/v1/completions", "/v1/models", "/admin/router-config")) {
            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri(path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.headers().map().keySet()).as(path)
                    .noneMatch(name -> name.toLowerCase().startsWith("access-control-allow"));
        }
        HttpResponse<String> simple = http.send(HttpRequest.newBuilder(uri("/v1/models"))
                .header("Origin", "https://evil.example").header("Authorization", "Bearer " + FAST_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(simple.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    @Order(5)
    void aRequestRefusedBeforeItsBodyIsReadLeavesTheConnectionUsable() throws Exception {
        // 401 and 429 are decided from the headers; the body's bytes must not be taken for the next request
        String json = "{\"model\": \"tiny\", \"prompt\": \"hi\", \"max_tokens\": 2}";
        try (Socket socket = RawHttp.connect(port)) {
            RawHttp.write(socket, RawHttp.jsonPost("/v1/completions", json, ""));
            assertThat(RawHttp.readResponse(socket, Duration.ofSeconds(10))).startsWith("HTTP/1.1 401");
            String limited = "";
            for (int i = 0; i < 5 && !limited.startsWith("HTTP/1.1 429"); i++) {
                RawHttp.write(socket, RawHttp.jsonPost("/v1/completions", json,
                        "Authorization: Bearer " + SLOW_KEY + "\r\n"));
                limited = RawHttp.readResponse(socket, Duration.ofSeconds(10));
            }
            assertThat(limited).as("slow-team's bucket runs dry").startsWith("HTTP/1.1 429");

            RawHttp.write(socket, RawHttp.jsonPost("/v1/completions", json,
                    "Authorization: Bearer " + FAST_KEY + "\r\n"));
            assertThat(RawHttp.readResponse(socket, Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    @Order(100)
    void noSecretAppearsInTheLogs(CapturedOutput output) throws Exception {
        // failures are logged at their most verbose here: a wrong key, a wrong admin token, a refused request
        complete(WRONG_KEY);
        send("PUT", "/admin/router-config", ADMIN_TOKEN, "{\"policy\": \"no-such-policy\"}");
        send("PUT", "/admin/router-config", WRONG_KEY, "{\"policy\": \"kv\"}");
        complete(FAST_KEY);
        gateway.close();

        String logs = output.getAll();
        assertThat(logs).as("startup was captured").contains("API keys required on /v1: 3 keys configured");
        assertThat(logs).as("debug logging was on").contains("DEBUG");
        for (String secret : List.of(ADMIN_TOKEN, FAST_KEY, SLOW_KEY, FILE_KEY, WRONG_KEY)) {
            assertThat(logs).doesNotContain(secret);
        }
    }

    // --- plumbing ---

    private void assertInvalidKey(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/json"));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").stringValue()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").stringValue()).isEqualTo("invalid_api_key");
        assertThat(error.has("param")).isTrue();
        assertThat(response.body()).doesNotContain(FAST_KEY).doesNotContain(WRONG_KEY);
    }

    private HttpResponse<String> complete(String key) throws Exception {
        return send("POST", "/v1/completions", key, "{\"model\": \"tiny\", \"prompt\": \"hi\", \"max_tokens\": 2}");
    }

    private HttpResponse<String> sendWithHeader(String name, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/completions")).header(name, value)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"tiny\", \"prompt\": \"hi\", \"max_tokens\": 2}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(series.length() + 1).trim())).findFirst().orElse(-1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }
}
