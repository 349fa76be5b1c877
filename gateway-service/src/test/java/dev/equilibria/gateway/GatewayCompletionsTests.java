package dev.equilibria.gateway;

import static dev.equilibria.gateway.FakeWorkers.Behavior.BROKEN;
import static dev.equilibria.gateway.FakeWorkers.Behavior.NORMAL;
import static dev.equilibria.gateway.FakeWorkers.Behavior.FULL;
import static dev.equilibria.gateway.FakeWorkers.Behavior.OVERLOADED;
import static dev.equilibria.gateway.FakeWorkers.Behavior.TRUNCATES;
import static dev.equilibria.protocol.WorkerRole.AGGREGATED;
import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.PrefillRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The gateway over a real socket, discovering fake workers (an in-test HTTP server speaking the worker API) from
 * heartbeats on a real embedded Kafka broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.gateway.heartbeat-ttl=" + GatewayCompletionsTests.TTL_MILLIS + "ms",
        "equilibria.gateway.router.policy=round_robin",
        "logging.level.kafka=WARN",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext // free the broker and listeners for the next class
class GatewayCompletionsTests {

    static final long TTL_MILLIS = 2000;

    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private static final List<String> MODELS = List.of("tiny", "solo", "prefill-only", "flaky", "broken",
            "truncating", "doomed", "decode-only", "crowded");

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeWorkers workers;
    private HeartbeatPublisher heartbeats;
    /** The readiness group as the gateway answered it before any worker existed. */
    private HttpResponse<String> readinessBeforeAnyWorker;

    @BeforeAll
    void startFleet() throws Exception {
        readinessBeforeAnyWorker = get("/actuator/health/readiness");
        workers = new FakeWorkers();
        heartbeats = new HeartbeatPublisher(broker.getBrokersAsString());
        worker("tiny-p0", PREFILL, "tiny", NORMAL);
        worker("tiny-p1", PREFILL, "tiny", NORMAL);
        worker("tiny-d0", DECODE, "tiny", NORMAL);
        worker("tiny-d1", DECODE, "tiny", NORMAL);
        worker("solo-a0", AGGREGATED, "solo", NORMAL);
        worker("po-p0", PREFILL, "prefill-only", NORMAL);
        worker("flaky-p0", PREFILL, "flaky", OVERLOADED);
        worker("flaky-p1", PREFILL, "flaky", NORMAL);
        worker("flaky-d0", DECODE, "flaky", NORMAL);
        worker("broken-p0", PREFILL, "broken", BROKEN);
        worker("broken-d0", DECODE, "broken", NORMAL);
        worker("trunc-p0", PREFILL, "truncating", NORMAL);
        worker("trunc-d0", DECODE, "truncating", TRUNCATES);
        worker("doomed-a0", AGGREGATED, "doomed", NORMAL);
        worker("do-d0", DECODE, "decode-only", NORMAL);
        worker("crowded-p0", PREFILL, "crowded", FULL);
        worker("crowded-p1", PREFILL, "crowded", FULL);
        worker("crowded-p2", PREFILL, "crowded", FULL);
        worker("crowded-d0", DECODE, "crowded", FULL);
        worker("crowded-d1", DECODE, "crowded", FULL);
        await().atMost(Duration.ofSeconds(30)).until(() -> modelIds().containsAll(MODELS));
    }

    @AfterAll
    void stopFleet() {
        heartbeats.close();
        workers.close();
    }

    @Test
    void isReadyOnlyOnceItHasHeardAWorkerThatCanGenerate() throws Exception {
        assertThat(readinessBeforeAnyWorker.statusCode()).isEqualTo(503);
        assertThat(json(readinessBeforeAnyWorker.body()).path("components").path("workersHeard").path("status")
                .stringValue()).isEqualTo("OUT_OF_SERVICE");

        HttpResponse<String> readiness = get("/actuator/health/readiness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json(readiness.body()).path("components").path("workersHeard").path("status").stringValue())
                .isEqualTo("UP");
    }

    @Test
    void listsTheModelsOfLiveWorkers() throws Exception {
        HttpResponse<String> response = get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("object").stringValue()).isEqualTo("list");
        JsonNode tiny = elements(body.path("data")).filter(m -> m.path("id").stringValue().equals("tiny"))
                .findFirst().orElseThrow();
        assertThat(tiny.path("object").stringValue()).isEqualTo("model");
        assertThat(tiny.path("max_model_len").intValue()).isEqualTo(FakeWorkers.MAX_MODEL_LEN);
        assertThat(tiny.path("owned_by").stringValue()).isEqualTo("equilibria");
    }

    @Test
    void completesWithoutStreamingAcrossPrefillAndDecode() throws Exception {
        String prompt = "Tell me about foxes.";
        HttpResponse<String> response = complete("{\"model\": \"tiny\", \"prompt\": \"" + prompt + "\","
                + " \"max_tokens\": 5}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response.body());
        String id = body.path("id").stringValue();
        assertThat(id).startsWith("cmpl-");
        assertThat(body.path("object").stringValue()).isEqualTo("text_completion");
        assertThat(body.path("model").stringValue()).isEqualTo("tiny");
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("text").stringValue()).isEqualTo(expectedText(5));
        assertThat(choice.path("finish_reason").stringValue()).isEqualTo("length");
        assertThat(choice.path("index").intValue()).isZero();
        int promptTokens = CL100K.countTokensOrdinary(prompt);
        assertThat(body.path("usage").path("prompt_tokens").intValue()).isEqualTo(promptTokens);
        assertThat(body.path("usage").path("completion_tokens").intValue()).isEqualTo(5);
        assertThat(body.path("usage").path("total_tokens").intValue()).isEqualTo(promptTokens + 5);

        List<FakeWorkers.Call> calls = workers.calls(id);
        assertThat(calls).extracting(FakeWorkers.Call::leg).containsExactly("prefill", "decode");
        PrefillRequest prefill = (PrefillRequest) calls.get(0).request();
        assertThat(prefill.promptTokenIds()).isEqualTo(CL100K.encodeOrdinary(prompt).toArray());
        DecodeRequest decode = (DecodeRequest) calls.get(1).request();
        assertThat(decode.generatedTokenIds()).containsExactly(FakeWorkers.tokenAt(0));
        assertThat(decode.maxTokens()).isEqualTo(5);
        assertThat(decode.promptTokenIds()).isEqualTo(prefill.promptTokenIds());
        assertThat(decode.handoff().sourceWorker()).isEqualTo(calls.get(0).workerId());
        assertThat(calls.get(0).workerId()).startsWith("tiny-p");
        assertThat(calls.get(1).workerId()).startsWith("tiny-d");
    }

    @Test
    void streamsOneChunkPerTokenThenDone() throws Exception {
        int maxTokens = FakeWorkers.OUTPUT_TOKENS.length;
        HttpResponse<String> response = complete("{\"model\": \"tiny\", \"prompt\": \"Go\", \"max_tokens\": "
                + maxTokens + ", \"stream\": true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = events(response.body());
        assertThat(events).last().isEqualTo("data: [DONE]");
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: "));
        List<JsonNode> chunks = chunks(events);
        assertThat(chunks).hasSize(maxTokens);
        String id = chunks.get(0).path("id").stringValue();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = chunks.get(i);
            assertThat(chunk.path("id").stringValue()).isEqualTo(id).startsWith("cmpl-");
            assertThat(chunk.path("object").stringValue()).isEqualTo("text_completion");
            JsonNode choice = chunk.path("choices").get(0);
            assertThat(choice.path("finish_reason").isNull()).isEqualTo(i < chunks.size() - 1);
            text.append(choice.path("text").stringValue());
        }
        assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").stringValue())
                .isEqualTo("length");
        assertThat(text.toString()).isEqualTo(FakeWorkers.OUTPUT_TEXT).doesNotContain("\uFFFD");
    }

    @Test
    void streamEndsWithAUsageChunkWhenAsked() throws Exception {
        HttpResponse<String> response = complete("{\"model\": \"tiny\", \"prompt\": [1, 2, 3], \"max_tokens\": 3,"
                + " \"stream\": true, \"stream_options\": {\"include_usage\": true}}");

        List<String> events = events(response.body());
        assertThat(events).last().isEqualTo("data: [DONE]");
        List<JsonNode> chunks = chunks(events);
        assertThat(chunks).hasSize(4);
        JsonNode usageChunk = chunks.get(3);
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("prompt_tokens").intValue()).isEqualTo(3);
        assertThat(usageChunk.path("usage").path("completion_tokens").intValue()).isEqualTo(3);
        assertThat(usageChunk.path("usage").path("total_tokens").intValue()).isEqualTo(6);
    }

    @Test
    void aSingleTokenComesFromPrefillAlone() throws Exception {
        HttpResponse<String> response = complete("{\"model\": \"tiny\", \"prompt\": \"Hi\", \"max_tokens\": 1}");

        JsonNode body = json(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("choices").get(0).path("text").stringValue()).isEqualTo(expectedText(1));
        assertThat(body.path("choices").get(0).path("finish_reason").stringValue()).isEqualTo("length");
        assertThat(body.path("usage").path("completion_tokens").intValue()).isEqualTo(1);
        assertThat(workers.calls(body.path("id").stringValue())).extracting(FakeWorkers.Call::leg)
                .containsExactly("prefill");
    }

    @Test
    void acceptsAPromptOfTokenIds() throws Exception {
        HttpResponse<String> response = complete("{\"model\": \"tiny\", \"prompt\": [11, 22, 33, 44],"
                + " \"max_tokens\": 2}");

        JsonNode body = json(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("usage").path("prompt_tokens").intValue()).isEqualTo(4);
        PrefillRequest prefill = (PrefillRequest) workers.calls(body.path("id").stringValue()).get(0).request();
        assertThat(prefill.promptTokenIds()).containsExactly(11, 22, 33, 44);
    }

    @Test
    void spreadsLegsRoundRobinOverEachPool() throws Exception {
        long[] before = {workers.callsTo("tiny-p0"), workers.callsTo("tiny-p1"), workers.callsTo("tiny-d0"),
                workers.callsTo("tiny-d1")};
        for (int i = 0; i < 4; i++) {
            assertThat(complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2}").statusCode())
                    .isEqualTo(200);
        }

        long[] after = {workers.callsTo("tiny-p0"), workers.callsTo("tiny-p1"), workers.callsTo("tiny-d0"),
                workers.callsTo("tiny-d1")};
        for (int w = 0; w < 4; w++) {
            assertThat(after[w] - before[w]).as("worker %d", w).isEqualTo(2);
        }
    }

    @Test
    void anAggregatedWorkerServesBothLegs() throws Exception {
        HttpResponse<String> response = complete("{\"model\": \"solo\", \"prompt\": \"x\", \"max_tokens\": 3}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(workers.calls(json(response.body()).path("id").stringValue()))
                .extracting(FakeWorkers.Call::workerId).containsExactly("solo-a0", "solo-a0");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // name, body, param, code
                Arguments.of("malformed JSON", "{\"model\": \"tiny\", \"prompt\": ", null, "invalid_json"),
                Arguments.of("empty body", "", null, "invalid_json"),
                Arguments.of("not an object", "[\"tiny\"]", null, "invalid_json"),
                Arguments.of("missing prompt", "{\"model\": \"tiny\"}", "prompt", "missing_required_parameter"),
                Arguments.of("missing model", "{\"prompt\": \"x\"}", "model", "missing_required_parameter"),
                Arguments.of("prompt of wrong type", "{\"model\": \"tiny\", \"prompt\": {\"a\": 1}}", "prompt",
                        "invalid_type"),
                Arguments.of("max_tokens of wrong type", "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": \"5\"}",
                        "max_tokens", "invalid_type"),
                Arguments.of("max_tokens zero", "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 0}",
                        "max_tokens", "invalid_value"),
                Arguments.of("max_tokens negative", "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": -3}",
                        "max_tokens", "invalid_value"),
                Arguments.of("max_tokens above the model's limit",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 1000}", "max_tokens",
                        "context_length_exceeded"),
                Arguments.of("unknown model", "{\"model\": \"gpt-17\", \"prompt\": \"x\"}", "model",
                        "model_not_found"),
                Arguments.of("n above 1", "{\"model\": \"tiny\", \"prompt\": \"x\", \"n\": 2}", "n",
                        "unsupported_value"),
                Arguments.of("stream of wrong type", "{\"model\": \"tiny\", \"prompt\": \"x\", \"stream\": 1}",
                        "stream", "invalid_type"),
                Arguments.of("negative token id", "{\"model\": \"tiny\", \"prompt\": [1, -1]}", "prompt",
                        "invalid_value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputGetsA400InOpenAiFormat(String name, String body, String param, String code) throws Exception {
        HttpResponse<String> response = complete(body);

        assertOpenAiError(response, 400, "invalid_request_error", code);
        assertThat(json(response.body()).path("error").path("param").isNull()).isEqualTo(param == null);
        if (param != null) {
            assertThat(json(response.body()).path("error").path("param").stringValue()).isEqualTo(param);
        }
    }

    @Test
    void samplingOptionsAreIgnoredAndUnknownFieldsRefused() throws Exception {
        HttpResponse<String> response = complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2,"
                + " \"temperature\": 0.7, \"user\": \"u\"}");
        assertThat(response.statusCode()).isEqualTo(200);

        HttpResponse<String> unknown = complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2,"
                + " \"frobnicate\": [1]}");
        assertOpenAiError(unknown, 400, "invalid_request_error", "unknown_parameter");
    }

    @Test
    void wrongContentTypeUnknownPathAndWrongMethodAreOpenAiErrorsToo() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri("/v1/completions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("model=tiny")).build(), HttpResponse.BodyHandlers.ofString());
        assertOpenAiError(form, 415, "invalid_request_error", "unsupported_media_type");

        HttpResponse<String> unknownPath = http.send(HttpRequest.newBuilder(uri("/v1/chat/nothing"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertOpenAiError(unknownPath, 404, "invalid_request_error", "not_found");
        assertThat(json(unknownPath.body()).path("error").path("message").stringValue())
                .isEqualTo("Invalid URL (POST /v1/chat/nothing)");

        assertOpenAiError(get("/v1/completions"), 405, "invalid_request_error", "method_not_allowed");
        assertOpenAiError(get("/v1/models/gpt-17"), 404, "invalid_request_error", "model_not_found");
    }

    @Test
    void anEmptyDecodePoolIsA503NamingThePool() throws Exception {
        for (String stream : List.of("false", "true")) {
            HttpResponse<String> response = complete("{\"model\": \"prefill-only\", \"prompt\": \"x\","
                    + " \"max_tokens\": 4, \"stream\": " + stream + "}");

            assertOpenAiError(response, 503, "service_unavailable_error", "no_decode_worker_available");
            assertThat(json(response.body()).path("error").path("message").stringValue())
                    .contains("decode pool is empty").contains("prefill-only");
        }
        // a one-token answer needs no decode worker
        assertThat(complete("{\"model\": \"prefill-only\", \"prompt\": \"x\", \"max_tokens\": 1}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aLegRefusedByAnOverloadedWorkerMovesToAnotherOne() throws Exception {
        // round robin over two workers reaches the overloaded one within two requests
        for (int i = 0; i < 2 && workers.callsTo("flaky-p0") == 0; i++) {
            HttpResponse<String> response = complete("{\"model\": \"flaky\", \"prompt\": \"x\", \"max_tokens\": 3}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body()).path("choices").get(0).path("text").stringValue())
                    .isEqualTo(expectedText(3));
        }
        assertThat(workers.callsTo("flaky-p0")).isPositive();
        assertThat(meters.get(GatewayMetrics.RETRIES).tag("leg", "prefill").counter().count()).isPositive();
    }

    @Test
    void withRefuseWhenFullEachFullWorkerRefusesTheLegOnceAndThenThePolicyPlacesItToQueue() throws Exception {
        double refusedBefore = counter(GatewayMetrics.FULL_REFUSALS, "leg", "prefill")
                + counter(GatewayMetrics.FULL_REFUSALS, "leg", "decode");
        double retriedBefore = counter(GatewayMetrics.RETRIES, "leg", "prefill");
        HttpResponse<String> response = complete("{\"model\": \"crowded\", \"prompt\": \"x\", \"max_tokens\": 3,"
                + " \"router_config_override\": {\"refuse_when_full\": true}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response.body()).path("choices").get(0).path("text").stringValue()).isEqualTo(expectedText(3));
        List<FakeWorkers.Call> calls = workers.calls(json(response.body()).path("id").stringValue());
        List<Boolean> prefillFlags = calls.stream().filter(c -> c.leg().equals("prefill"))
                .map(c -> ((PrefillRequest) c.request()).refusesWhenFull()).toList();
        List<Boolean> decodeFlags = calls.stream().filter(c -> c.leg().equals("decode"))
                .map(c -> ((DecodeRequest) c.request()).refusesWhenFull()).toList();
        assertThat(prefillFlags).as("each of three full workers refuses once, then one queues it")
                .containsExactly(true, true, true, false);
        assertThat(decodeFlags).containsExactly(true, true, false);
        assertThat(calls.subList(0, 3)).extracting(FakeWorkers.Call::workerId)
                .containsExactlyInAnyOrder("crowded-p0", "crowded-p1", "crowded-p2");
        assertThat(counter(GatewayMetrics.FULL_REFUSALS, "leg", "prefill")
                + counter(GatewayMetrics.FULL_REFUSALS, "leg", "decode") - refusedBefore).isEqualTo(5);
        assertThat(counter(GatewayMetrics.RETRIES, "leg", "prefill")).as("a full worker is not a failure")
                .isEqualTo(retriedBefore);

        HttpResponse<String> queued = complete("{\"model\": \"crowded\", \"prompt\": \"x\", \"max_tokens\": 3}");
        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(workers.calls(json(queued.body()).path("id").stringValue()))
                .as("off by default: one worker per leg, which queues it").hasSize(2);
    }

    @Test
    void aFailingWorkerIsA502WithoutInternals() throws Exception {
        HttpResponse<String> response = complete("{\"model\": \"broken\", \"prompt\": \"x\", \"max_tokens\": 3}");

        assertOpenAiError(response, 502, "server_error", "worker_error");
        assertThat(json(response.body()).path("error").path("message").stringValue())
                .contains("broken-p0").contains("engine crashed");
    }

    @Test
    void aDecodeStreamThatBreaksOffEndsWithAnErrorEvent() throws Exception {
        HttpResponse<String> streamed = complete("{\"model\": \"truncating\", \"prompt\": \"x\", \"max_tokens\": 5,"
                + " \"stream\": true}");

        assertThat(streamed.statusCode()).isEqualTo(200);
        List<String> events = events(streamed.body());
        assertThat(events).last().isEqualTo("data: [DONE]");
        List<JsonNode> payloads = chunks(events);
        assertThat(payloads).hasSize(3); // first token from prefill, one decoded token, the error
        JsonNode error = payloads.get(2).path("error");
        assertThat(error.path("code").stringValue()).isEqualTo("worker_error");
        assertThat(error.path("message").stringValue()).contains("without a finish_reason");

        HttpResponse<String> whole = complete("{\"model\": \"truncating\", \"prompt\": \"x\", \"max_tokens\": 5}");
        assertOpenAiError(whole, 502, "server_error", "worker_error");
    }

    @Test
    void aWorkerThatStopsHeartbeatingIsDroppedAfterTheTtl() throws Exception {
        assertThat(complete("{\"model\": \"doomed\", \"prompt\": \"x\", \"max_tokens\": 2}").statusCode())
                .isEqualTo(200);

        heartbeats.stop("doomed-a0");
        long stoppedAt = System.nanoTime();
        await().atMost(Duration.ofMillis(TTL_MILLIS + 5000)).pollInterval(Duration.ofMillis(100))
                .until(() -> !modelIds().contains("doomed"));
        long goneAfterMillis = (System.nanoTime() - stoppedAt) / 1_000_000;

        // the last heartbeat may have been in flight when we stopped, so allow one period less than the TTL
        assertThat(goneAfterMillis).isGreaterThanOrEqualTo(TTL_MILLIS - HeartbeatPublisher.PERIOD_MILLIS - 100);
        assertOpenAiError(complete("{\"model\": \"doomed\", \"prompt\": \"x\"}"), 400, "invalid_request_error",
                "model_not_found");
        assertThat(modelIds()).contains("tiny");
    }

    @Test
    void anUnreadableHeartbeatIsSkipped() throws Exception {
        heartbeats.sendGarbage();

        await().atMost(Duration.ofSeconds(10)).until(() -> meters.find("equilibria.fleet.heartbeats.rejected")
                .counter() != null && meters.find("equilibria.fleet.heartbeats.rejected").counter().count() > 0);
        assertThat(complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void exportsRequestTtftAndWorkerMetrics() throws Exception {
        complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2}");
        complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 0}");

        assertThat(meters.get(GatewayMetrics.REQUESTS).tag("outcome", "success").counter().count()).isPositive();
        assertThat(meters.get(GatewayMetrics.REQUESTS).tag("outcome", "invalid_request").counter().count())
                .isPositive();
        assertThat(meters.get(GatewayMetrics.TTFT).timer().count()).isPositive();
        assertThat(meters.get(GatewayMetrics.COMPLETION_TOKENS).counter().count()).isPositive();
        assertThat(meters.get(GatewayMetrics.LEGS).tag("leg", "decode").counters()).isNotEmpty();
        assertThat(meters.get("equilibria.fleet.workers").tag("role", "prefill").gauge().value()).isPositive();
    }

    @Test
    void chatCompletionsAnswerWithAnAssistantMessage() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": ["
                + "{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}],"
                + " \"max_tokens\": 4}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("id").stringValue()).startsWith("chatcmpl-");
        assertThat(body.path("object").stringValue()).isEqualTo("chat.completion");
        assertThat(body.path("model").stringValue()).isEqualTo("tiny");
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("message").path("role").stringValue()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").stringValue()).isEqualTo(expectedText(4));
        assertThat(choice.path("finish_reason").stringValue()).isEqualTo("length");
        int promptTokens = CL100K.countTokensOrdinary(dev.equilibria.gateway.api.ChatTemplate.render(List.of(
                new dev.equilibria.gateway.api.ChatMessage("system", "Be brief."),
                new dev.equilibria.gateway.api.ChatMessage("user", "Hi"))));
        assertThat(body.path("usage").path("prompt_tokens").intValue()).isEqualTo(promptTokens);
        PrefillRequest prefill = (PrefillRequest) workers.calls(body.path("id").stringValue()).get(0).request();
        assertThat(prefill.promptTokenIds()).hasSize(promptTokens);
    }

    @Test
    void chatCompletionsStreamRoleThenDeltasThenFinish() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": ["
                + "{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 3, \"stream\": true,"
                + " \"stream_options\": {\"include_usage\": true}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = events(response.body());
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: "));
        assertThat(events).last().isEqualTo("data: [DONE]");
        List<JsonNode> chunks = chunks(events);
        assertThat(chunks).hasSize(1 + 3 + 1 + 1); // role, three deltas, finish, usage
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").stringValue())
                .isEqualTo("chat.completion.chunk"));
        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").stringValue())
                .isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        chunks.subList(1, 4).forEach(c -> text.append(c.path("choices").get(0).path("delta").path("content")
                .stringValue()));
        assertThat(text.toString()).isEqualTo(expectedText(3));
        assertThat(chunks.get(4).path("choices").get(0).path("finish_reason").stringValue()).isEqualTo("length");
        assertThat(chunks.get(5).path("usage").path("completion_tokens").intValue()).isEqualTo(3);
    }

    @Test
    void aStopStringEndsTheAnswerBeforeIt() throws Exception {
        // the workers' text is " The quick brown fox jumps over the lazy dog 🙂"
        HttpResponse<String> whole = complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 12,"
                + " \"stop\": [\" fox\", \"dog\"]}");
        HttpResponse<String> streamed = complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 12,"
                + " \"stop\": \" fox\", \"stream\": true}");

        JsonNode choice = json(whole.body()).path("choices").get(0);
        assertThat(choice.path("text").stringValue()).isEqualTo(" The quick brown");
        assertThat(choice.path("finish_reason").stringValue()).isEqualTo("stop");
        assertThat(json(whole.body()).path("usage").path("completion_tokens").intValue()).isEqualTo(4);
        StringBuilder text = new StringBuilder();
        List<JsonNode> chunks = chunks(events(streamed.body()));
        chunks.forEach(c -> text.append(c.path("choices").get(0).path("text").stringValue()));
        assertThat(text.toString()).isEqualTo(" The quick brown");
        assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").stringValue())
                .isEqualTo("stop");
    }

    @Test
    void chatErrorsAreOpenAiErrorsToo() throws Exception {
        assertOpenAiError(post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": []}"), 400,
                "invalid_request_error", "invalid_value");
        assertOpenAiError(post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": [{\"role\":"
                + " \"user\", \"content\": \"x\"}], \"router_config_override\": {\"router_temperature\": -1}}"),
                400, "invalid_request_error", "invalid_value");
    }

    @Test
    void aBadRouterHeaderIsA400NamingIt() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/completions"))
                .header("Content-Type", "application/json").header("x-router-policy", "fastest")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"tiny\", \"prompt\": \"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertOpenAiError(response, 400, "invalid_request_error", "invalid_value");
        assertThat(json(response.body()).path("error").path("param").stringValue()).isEqualTo("x-router-policy");
    }

    @Test
    void anEmptyPrefillPoolFallsBackToAggregatedExecutionExplicitly() throws Exception {
        double before = counter(RoutingMetrics.AGGREGATED_FALLBACKS, "reason", "no_prefill_worker");

        HttpResponse<String> response = complete("{\"model\": \"decode-only\", \"prompt\": \"x\","
                + " \"max_tokens\": 3}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("choices").get(0).path("text").stringValue()).isEqualTo(expectedText(3));
        List<FakeWorkers.Call> calls = workers.calls(body.path("id").stringValue());
        assertThat(calls).extracting(FakeWorkers.Call::leg).containsExactly("decode");
        DecodeRequest run = (DecodeRequest) calls.get(0).request();
        assertThat(run.handoff()).isNull();
        assertThat(run.generatedTokenIds()).isEmpty();
        assertThat(counter(RoutingMetrics.AGGREGATED_FALLBACKS, "reason", "no_prefill_worker"))
                .isEqualTo(before + 1);
    }

    @Test
    void decodeFirstPrefillsAShortPromptOnTheAggregatedDecodeWorker() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/completions"))
                .header("Content-Type", "application/json").header("x-router-orchestration", "decode_first")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"solo\", \"prompt\": \"x\","
                        + " \"max_tokens\": 3}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(workers.calls(json(response.body()).path("id").stringValue()))
                .extracting(FakeWorkers.Call::leg).containsExactly("decode");
        assertThat(counter(RoutingMetrics.ORCHESTRATION, "path", "decode_first_local")).isPositive();

        // a body override beats the header: remote prefill below a zero threshold
        HttpResponse<String> remote = http.send(HttpRequest.newBuilder(uri("/v1/completions"))
                .header("Content-Type", "application/json").header("x-router-orchestration", "prefill_first")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"solo\", \"prompt\": \"x\", \"max_tokens\":"
                        + " 3, \"router_config_override\": {\"orchestration\": \"decode_first\","
                        + " \"remote_prefill_threshold\": 0}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(workers.calls(json(remote.body()).path("id").stringValue()))
                .extracting(FakeWorkers.Call::leg).containsExactly("prefill", "decode");
        assertThat(counter(RoutingMetrics.ORCHESTRATION, "path", "decode_first_remote")).isPositive();
    }

    @Test
    void everyRoutingDecisionIsPublishedWithEveryCandidatesTerms() throws Exception {
        String id = json(complete("{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2}").body())
                .path("id").stringValue();

        List<RoutingDecision> decisions = KafkaProbe.read(broker.getBrokersAsString(), Topics.ROUTING_DECISIONS,
                RoutingDecision.class, d -> d.requestId().equals(id), 2, Duration.ofSeconds(15));

        assertThat(decisions).extracting(RoutingDecision::leg).containsExactlyInAnyOrder(RoutingLeg.PREFILL,
                RoutingLeg.DECODE);
        RoutingDecision prefill = decisions.stream().filter(d -> d.leg() == RoutingLeg.PREFILL).findFirst()
                .orElseThrow();
        assertThat(prefill.candidates()).extracting(CandidateCost::workerId).containsExactly("tiny-p0", "tiny-p1");
        assertThat(prefill.chosenWorker()).isIn("tiny-p0", "tiny-p1");
        assertThat(prefill.settings().policy()).isEqualTo("round_robin");
        assertThat(prefill.settings().overlapScoreWeight()).isEqualTo(1.0);
        assertThat(prefill.promptTokens()).isEqualTo(1);
        assertThat(prefill.maxTokens()).isEqualTo(2);
        assertThat(prefill.gatewayId()).startsWith("gw-");
    }

    @Test
    void exportsTheDocumentedPrometheusSeries() throws Exception {
        complete("{\"model\": \"tiny\", \"prompt\": \"Hello there\", \"max_tokens\": 3}");

        String scrape = get("/actuator/prometheus").body();

        assertThat(scrape).contains("equilibria_gateway_ttft_seconds_bucket", "equilibria_gateway_itl_seconds_bucket",
                "equilibria_gateway_request_duration_seconds_bucket",
                "equilibria_gateway_routing_phase_seconds_bucket{",
                "phase=\"tokenize\"", "phase=\"hash\"", "phase=\"lookup\"", "phase=\"select\"",
                "equilibria_gateway_legs_total", "equilibria_gateway_routing_decisions_total",
                "equilibria_gateway_admission_queue_depth", "equilibria_gateway_admission_rejections_total",
                "equilibria_gateway_router_config{", "equilibria_gateway_router_temperature{",
                "equilibria_gateway_router_overlap_score_weight{", "equilibria_gateway_ledger_peers",
                "equilibria_gateway_ledger_staleness_max_seconds", "equilibria_gateway_prompt_cached_tokens_total",
                "equilibria_gateway_kv_cached_blocks", "equilibria_gateway_migrations_total{",
                "equilibria_gateway_worker_circuit_state{", "equilibria_kafka_broker_reachable",
                "equilibria_events_queued");
    }

    // ---- helpers

    private void worker(String id, WorkerRole role, String model, FakeWorkers.Behavior behavior) {
        FakeWorkers.Worker worker = workers.add(id, role, model, behavior);
        heartbeats.start(id, () -> workers.heartbeat(worker));
    }

    private List<String> modelIds() throws Exception {
        return elements(json(get("/v1/models").body()).path("data")).map(m -> m.path("id").stringValue()).toList();
    }

    private double counter(String name, String tag, String value) {
        var found = meters.find(name).tag(tag, value).counter();
        return found == null ? 0 : found.count();
    }

    private HttpResponse<String> complete(String body) throws Exception {
        return post("/v1/completions", body);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void assertOpenAiError(HttpResponse<String> response, int status, String type, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/json"));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").stringValue()).isEqualTo(type);
        assertThat(error.path("code").stringValue()).isEqualTo(code);
        assertThat(error.path("message").stringValue()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
    }

    private static List<String> events(String body) {
        return Arrays.stream(body.split("\n\n")).filter(e -> !e.isBlank()).toList();
    }

    /** The JSON payloads of a stream's events, without the final {@code [DONE]}. */
    private static List<JsonNode> chunks(List<String> events) {
        List<JsonNode> chunks = new ArrayList<>();
        for (String event : events.subList(0, events.size() - 1)) {
            chunks.add(json(event.substring("data: ".length())));
        }
        return chunks;
    }

    private static String expectedText(int tokens) {
        IntArrayList ids = new IntArrayList();
        for (int i = 0; i < tokens; i++) {
            ids.add(FakeWorkers.tokenAt(i));
        }
        return CL100K.decode(ids);
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
