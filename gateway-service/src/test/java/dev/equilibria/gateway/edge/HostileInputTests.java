package dev.equilibria.gateway.edge;

import static dev.equilibria.gateway.edge.RawHttp.body;
import static dev.equilibria.gateway.edge.RawHttp.readResponse;
import static dev.equilibria.gateway.edge.RawHttp.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
 * The public API under hostile input, over real sockets, with real workers behind the gateway: a seeded fuzz run
 * (malformed JSON, wrong types for every field, huge and invalid values, invalid UTF-8, deep nesting, unknown
 * fields, wrong content types, empty bodies) where every answer must be a success or a 4xx OpenAI error, never a 5xx,
 * never a hang, never a stack trace; and targeted cases for the limits (body size, prompt tokens, slow and stalled
 * clients).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.gateway.limits.max-body-size=" + HostileInputTests.MAX_BODY_BYTES + "B",
        "equilibria.gateway.limits.max-prompt-tokens=" + HostileInputTests.MAX_PROMPT_TOKENS,
        "equilibria.gateway.limits.body-read-timeout=" + HostileInputTests.BODY_READ_TIMEOUT_MILLIS + "ms",
        "server.netty.idle-timeout=" + HostileInputTests.IDLE_TIMEOUT_MILLIS + "ms",
        "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class HostileInputTests {

    static final int MAX_BODY_BYTES = 256 * 1024;
    static final int MAX_PROMPT_TOKENS = 4096;
    static final long BODY_READ_TIMEOUT_MILLIS = 1500;
    static final long IDLE_TIMEOUT_MILLIS = 2000;
    static final long SEED = 0x6_2026_1128L;
    static final int FUZZ_CASES = 300;
    /** No answer may take longer: the slowest legitimate case is a short generation on simulated GPUs. */
    static final Duration ANSWER_DEADLINE = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RealWorkers workers;
    private String model;

    @BeforeAll
    void startWorkers() throws Exception {
        workers = new RealWorkers(broker.getBrokersAsString(), "fuzz", 1000);
        model = RealWorkers.awaitModel(http, port, Duration.ofSeconds(60));
    }

    @AfterAll
    void stopWorkers() {
        if (workers != null) {
            workers.close();
        }
    }

    @Test
    void seededFuzzOfThePublicApiGetsOnlySuccessesAnd4xxOpenAiErrors() throws Exception {
        RequestFuzzer fuzzer = new RequestFuzzer(new SplittableRandom(SEED), model, MAX_BODY_BYTES);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < FUZZ_CASES; i++) {
            RequestFuzzer.Case fuzzCase = fuzzer.next();
            String context = "case " + i + " (seed " + SEED + "): " + fuzzCase.describe();
            HttpResponse<String> response;
            try {
                response = send(fuzzCase.method(), fuzzCase.path(), fuzzCase.contentType(), fuzzCase.body());
            } catch (HttpTimeoutException e) {
                throw new AssertionError(context + ": no answer within " + ANSWER_DEADLINE, e);
            } catch (IOException e) {
                throw new AssertionError(context + ": no answer, the connection failed", e);
            }
            statuses.merge(response.statusCode(), 1, Integer::sum);
            int status = response.statusCode();
            assertThat(status).as(context + " -> " + response.body()).isIn(200, 400, 401, 404, 405, 408, 413, 415);
            if (status == 200) {
                OpenAiErrors.assertNoInternals(response.body(), context);
                if (response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
                    assertThat(response.body()).as(context).endsWith("data: [DONE]\n\n")
                            .doesNotContain("\"error\"");
                }
            } else {
                assertThat(response.headers().firstValue("content-type")).as(context)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
                OpenAiErrors.check(response.body(), context);
            }
        }
        System.out.println("fuzz: " + FUZZ_CASES + " cases, seed " + SEED + ", statuses " + statuses);
        assertThat(statuses.keySet()).as("the fuzzer reaches both accepted and refused requests")
                .contains(200, 400, 413, 415);
    }

    @Test
    void invalidUtf8IsA400NotAReplacementCharacter() throws Exception {
        byte[] prefix = ("{\"model\": \"" + model + "\", \"prompt\": \"ab").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\", \"max_tokens\": 1}".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF, (byte) 0xFE},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF})) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(prefix);
            body.write(bad);
            body.write(suffix);
            HttpResponse<String> response = send("POST", "/v1/completions", "application/json", body.toByteArray());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(OpenAiErrors.check(response.body(), "invalid utf-8").path("code").stringValue())
                    .isEqualTo("invalid_encoding");
        }
    }

    @Test
    void deeplyNestedJsonIsA400() throws Exception {
        String deep = "{\"model\": \"" + model + "\", \"prompt\": \"x\", \"router_config_override\": "
                + "[".repeat(50_000) + "]".repeat(50_000) + "}";
        HttpResponse<String> response = send("POST", "/v1/completions", "application/json", bytes(deep));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(OpenAiErrors.check(response.body(), "deep").path("code").stringValue()).isEqualTo("invalid_json");
    }

    @Test
    void unknownFieldsAreRefusedAndKnownSamplingOptionsIgnored() throws Exception {
        HttpResponse<String> ignored = post("/v1/chat/completions", "{\"model\": \"" + model + "\", \"messages\":"
                + " [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 2, \"temperature\": 0.3,"
                + " \"top_p\": 0.9, \"seed\": 7, \"user\": \"u-1\", \"store\": false, \"metadata\": {}}");
        assertThat(ignored.statusCode()).as(ignored.body()).isEqualTo(200);

        HttpResponse<String> unknown = post("/v1/completions", "{\"model\": \"" + model + "\", \"prompt\": \"hi\","
                + " \"max_tokens\": 2, \"frobnicate\": true}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode error = OpenAiErrors.check(unknown.body(), "unknown");
        assertThat(error.path("code").stringValue()).isEqualTo("unknown_parameter");
        assertThat(error.path("param").stringValue()).isEqualTo("frobnicate");
        assertThat(error.path("message").stringValue()).isEqualTo("Unrecognized request argument supplied: frobnicate");
    }

    @Test
    void aPromptOverTheTokenLimitIsA400AndAnOversizedBodyA413() throws Exception {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i <= MAX_PROMPT_TOKENS; i++) {
            ids.append(i == 0 ? "" : ",").append(1000 + i % 5000);
        }
        HttpResponse<String> tooLong = post("/v1/completions", "{\"model\": \"" + model + "\", \"prompt\": [" + ids
                + "], \"max_tokens\": 1}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(OpenAiErrors.check(tooLong.body(), "long").path("code").stringValue()).isEqualTo("prompt_too_long");

        HttpResponse<String> huge = post("/v1/completions", "{\"model\": \"" + model + "\", \"prompt\": \""
                + "a".repeat(MAX_BODY_BYTES) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(OpenAiErrors.check(huge.body(), "huge").path("code").stringValue()).isEqualTo("request_too_large");
    }

    @Test
    void aBodyJustOverTheLimitIsReadToItsEndSoTheConnectionOutlivesThe413() throws Exception {
        String json = "{\"model\": \"" + model + "\", \"prompt\": \"" + "lorem ".repeat(MAX_BODY_BYTES / 6 + 10)
                + "\"}";
        try (Socket socket = connect()) {
            write(socket, RawHttp.jsonPost("/v1/completions", json, ""));
            String refused = readResponse(socket, Duration.ofSeconds(10));
            assertThat(refused).startsWith("HTTP/1.1 413").doesNotContainIgnoringCase("connection: close");
            assertThat(OpenAiErrors.check(body(refused), "just over").path("code").stringValue())
                    .isEqualTo("request_too_large");

            write(socket, "GET /v1/models HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readResponse(socket, Duration.ofSeconds(10))).as("the next request on the connection")
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aDeclaredOversizedBodyIsRefusedBeforeItIsSent() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (50L * MAX_BODY_BYTES) + "\r\n\r\n{\"model\":");
            String response = readResponse(socket, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 413");
            OpenAiErrors.check(body(response), "declared");
        }
    }

    @Test
    void aClientThatStallsItsBodyGetsA408AndTheConnectionIsClosed() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = connect()) {
            write(socket, "POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{\"model\": \"" + model + "\"");
            String response = readResponse(socket, Duration.ofSeconds(10));
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(OpenAiErrors.check(body(response), "stall").path("code").stringValue())
                    .isEqualTo("request_timeout");
            assertThat(socket.getInputStream().read()).as("connection closed").isEqualTo(-1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRefusedBodyIsNotReadAsTheNextRequestOnTheSameConnection() throws Exception {
        // a 415 is decided from the headers; the body's bytes must not stay on the kept-alive connection (the seeded
        // fuzz once hung on the request that followed one)
        String json = "{\"model\": \"" + model + "\", \"prompt\": [1, 2, 3], \"max_tokens\": 1}";
        try (Socket socket = connect()) {
            write(socket, "POST /v1/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + json.length()
                    + "\r\n\r\n" + json);
            assertThat(readResponse(socket, Duration.ofSeconds(10))).startsWith("HTTP/1.1 415");

            write(socket, "POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n" + json);
            assertThat(readResponse(socket, Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theBodyOfARequestForAnUnknownPathIsNotReadAsTheNextRequest() throws Exception {
        // the 404 is decided from the request line; a body that arrives after it must not be parsed as the next
        // request (the seeded fuzz once hung on the request after a POST /v1/chat with a body; this passes, the hang
        // did not reproduce)
        String json = "{\"model\": \"" + model + "\", \"prompt\": [1, 2, 3], \"max_tokens\": 1}";
        try (Socket socket = connect()) {
            write(socket, "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n");
            Thread.sleep(300);
            write(socket, json);
            assertThat(readResponse(socket, Duration.ofSeconds(10))).startsWith("HTTP/1.1 404");

            write(socket, RawHttp.jsonPost("/v1/completions", json, ""));
            assertThat(readResponse(socket, Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aClientThatTricklesItsBodyIsCutOffAtTheBodyDeadline() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = connect()) {
            String json = "{\"model\": \"" + model + "\", \"prompt\": \"" + "x".repeat(100) + "\"}";
            write(socket, "POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n");
            socket.setSoTimeout(100);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            for (int i = 0; i < json.length() && received.size() == 0; i++) {
                try {
                    write(socket, json.substring(i, i + 1)); // one byte every 100 ms: 12 s for the whole body
                } catch (IOException closed) {
                    break;
                }
                try {
                    int b = socket.getInputStream().read();
                    if (b >= 0) {
                        received.write(b);
                    }
                } catch (SocketTimeoutException nothingYet) {
                    // keep trickling
                }
            }
            String response = received.toString(StandardCharsets.UTF_8) + readResponse(socket, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 408");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aClientThatNeverFinishesItsHeadersIsDisconnected() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = connect()) {
            write(socket, "POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Ty");
            socket.setSoTimeout((int) (IDLE_TIMEOUT_MILLIS * 5));
            assertThat(socket.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(IDLE_TIMEOUT_MILLIS * 4));
    }

    // --- plumbing ---

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, "application/json", bytes(body));
    }

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(ANSWER_DEADLINE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Socket connect() throws IOException {
        return RawHttp.connect(port);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n")));
    }
}
