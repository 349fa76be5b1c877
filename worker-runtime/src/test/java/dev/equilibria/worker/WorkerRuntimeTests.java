package dev.equilibria.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Aggregated workers (one switched to decode) in one process, a real embedded KRaft broker, HTTP over a real socket. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.worker.role=aggregated",
        "equilibria.worker.count=4",
        "equilibria.worker.time-scale=50",
        "equilibria.worker.heartbeat-interval=200ms"})
@EmbeddedKafka(partitions = 1)
class WorkerRuntimeTests {

    @SpringBootApplication
    static class TestApp {
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prefillsOnOneWorkerDecodesOnTheOtherAndPublishesHeartbeatsAndKvEvents() throws Exception {
        int[] prompt = IntStream.range(0, 200).toArray();
        PrefillResult prefill = post("/workers/aggregated-0/prefill",
                new PrefillRequest("req-1", prompt, 8), PrefillResult.class);

        assertThat(prefill.workerId()).isEqualTo("aggregated-0");
        assertThat(prefill.promptTokens()).isEqualTo(200);
        assertThat(prefill.handoff().blockHashes()).hasSize(200 / 64);

        HttpResponse<String> stream = http.send(request("/workers/aggregated-1/decode", new DecodeRequest("req-1",
                prompt, new int[] {prefill.firstTokenId()}, 8, new int[0], prefill.handoff())),
                HttpResponse.BodyHandlers.ofString());
        List<GeneratedToken> tokens = stream.body().lines().filter(l -> l.startsWith("data:"))
                .map(l -> EventCodec.decode(l.substring(5), GeneratedToken.class)).toList();

        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(tokens).extracting(GeneratedToken::index).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(tokens.get(6).finishReason()).isEqualTo("length");
        assertThat(tokens.subList(0, 6)).allSatisfy(t -> assertThat(t.finishReason()).isNull());
        assertThat(prefill.handoff().sourceEndpoint()).isEqualTo("http://127.0.0.1:" + port);
        var prefillWorker = host.find("aggregated-0").orElseThrow();
        for (int i = 0; i < 100 && (int) prefillWorker.read(e -> e.heldHandoffs()) > 0; i++) {
            Thread.sleep(50);
        }
        assertThat((int) prefillWorker.read(e -> e.heldHandoffs())).as("the decode side released the hold").isZero();

        Map<String, List<String>> topics = consume(Set.of(Topics.HEARTBEATS, Topics.KV_EVENTS),
                records -> records.getOrDefault(Topics.KV_EVENTS, List.of()).size() >= 4);
        Set<String> heartbeatWorkers = new HashSet<>();
        for (String json : topics.get(Topics.HEARTBEATS)) {
            WorkerHeartbeat hb = EventCodec.decode(json, WorkerHeartbeat.class);
            assertThat(hb.role()).isEqualTo(WorkerRole.AGGREGATED);
            assertThat(hb.endpoint()).isEqualTo("http://127.0.0.1:" + port);
            heartbeatWorkers.add(hb.workerId());
        }
        assertThat(heartbeatWorkers).contains("aggregated-0", "aggregated-1");

        Map<String, List<KvEvent>> kvByWorker = new HashMap<>();
        topics.get(Topics.KV_EVENTS).stream().map(json -> EventCodec.decode(json, KvEvent.class))
                .forEach(e -> kvByWorker.computeIfAbsent(e.workerId(), w -> new ArrayList<>()).add(e));
        for (List<KvEvent> events : kvByWorker.values()) {
            assertThat(events.get(0)).isInstanceOf(KvEvent.AllCleared.class); // startup snapshot
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).seq()).as("consecutive sequence numbers").isEqualTo(i + 1);
            }
        }
        assertThat(kvByWorker.get("aggregated-0")).anySatisfy(e -> assertThat(e).isInstanceOf(
                KvEvent.BlocksStored.class));
    }

    @Autowired
    org.springframework.kafka.core.KafkaTemplate<String, String> kafka;

    @Test
    void aDecodeWorkerWithoutAHandoffPrefillsTheRequestItselfAndContinuesAfterTheTokensItWasGiven()
            throws Exception {
        var worker = host.find("aggregated-3").orElseThrow();
        worker.switchRole(WorkerRole.DECODE);
        for (int i = 0; i < 100 && worker.role() != WorkerRole.DECODE; i++) {
            Thread.sleep(20);
        }
        assertThat(worker.role()).isEqualTo(WorkerRole.DECODE);
        long computedBefore = worker.<Long>read(e -> e.stats().promptTokensComputed());
        long handoffBytesBefore = worker.<Long>read(e -> e.stats().handoffBytes());
        int[] prompt = IntStream.range(5000, 5300).toArray();

        // a migrated request: the prompt, three tokens already sent to the client, six in all
        HttpResponse<String> stream = http.send(request("/workers/aggregated-3/decode", new DecodeRequest(
                "req-full", prompt, new int[] {11, 12, 13}, 6, new int[0], null)), HttpResponse.BodyHandlers.ofString());
        List<GeneratedToken> tokens = stream.body().lines().filter(l -> l.startsWith("data:"))
                .map(l -> EventCodec.decode(l.substring(5), GeneratedToken.class)).toList();

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(tokens).extracting(GeneratedToken::index).containsExactly(3, 4, 5);
        assertThat(tokens.get(2).finishReason()).isEqualTo("length");
        long computed = worker.<Long>read(e -> e.stats().promptTokensComputed()) - computedBefore;
        long handoffBytes = worker.<Long>read(e -> e.stats().handoffBytes());
        assertThat(computed)
                .as("prompt and the given tokens computed here").isGreaterThanOrEqualTo(prompt.length + 2);
        assertThat(handoffBytes).as("no KV received").isEqualTo(handoffBytesBefore);
    }

    @Test
    void aRoleSwitchDrainsInFlightWorkFirstAndLosesNothing() throws Exception {
        int[] prompt = IntStream.range(0, 100).toArray();
        PrefillResult prefill = post("/workers/aggregated-0/prefill",
                new PrefillRequest("req-switch", prompt, 3000), PrefillResult.class);
        var pending = http.sendAsync(request("/workers/aggregated-2/decode", new DecodeRequest("req-switch", prompt,
                new int[] {prefill.firstTokenId()}, 3000, new int[0], prefill.handoff())),
                HttpResponse.BodyHandlers.ofLines());
        var lines = pending.get(20, java.util.concurrent.TimeUnit.SECONDS).body().iterator();
        assertThat(lines.next()).startsWith("data:"); // the sequence is running

        kafka.send(Topics.WORKER_COMMANDS, "aggregated-2", EventCodec.encode(new dev.equilibria.protocol.event
                .WorkerCommand("cmd-1", "aggregated-2", dev.equilibria.protocol.event.WorkerCommand.Type.SET_ROLE,
                WorkerRole.PREFILL, "test", System.currentTimeMillis())));

        List<GeneratedToken> rest = new ArrayList<>();
        boolean drainingSeen = false;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                rest.add(EventCodec.decode(line.substring(5), GeneratedToken.class));
                drainingSeen |= host.find("aggregated-2").orElseThrow().draining();
            }
        }
        assertThat(drainingSeen).as("the worker drained while the sequence finished").isTrue();
        assertThat(rest).extracting(GeneratedToken::index)
                .containsExactlyElementsOf(IntStream.range(2, 3000).boxed().toList());
        assertThat(rest.get(rest.size() - 1).finishReason()).isEqualTo("length");

        long deadline = System.currentTimeMillis() + 10_000;
        while (host.find("aggregated-2").orElseThrow().role() != WorkerRole.PREFILL
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(host.find("aggregated-2").orElseThrow().role()).isEqualTo(WorkerRole.PREFILL);
        assertThat(host.find("aggregated-2").orElseThrow().draining()).isFalse();
        HttpResponse<String> refused = http.send(request("/workers/aggregated-2/decode", new DecodeRequest("req-2",
                prompt, new int[] {1}, 4, new int[0], null)), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as("a prefill worker refuses the decode leg").isEqualTo(409);
    }

    @Autowired
    dev.equilibria.worker.host.WorkerHost host;

    @Test
    void anUnknownWorkerIsAProblemNotAStackTrace() throws Exception {
        HttpResponse<String> response = http.send(request("/workers/nobody/prefill",
                new PrefillRequest("r", new int[] {1, 2, 3}, 4)), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("nobody").doesNotContain("at dev.equilibria");
    }

    @Test
    void acceptsAPromptAsLongAsTheModelsContext() throws Exception {
        // 120,000 six-digit token ids: about 840 KB of JSON, over WebFlux's default 256 KB in-memory limit
        int[] prompt = IntStream.range(0, 120_000).map(i -> 100_000 + i % 50_000).toArray();

        PrefillResult result = post("/workers/aggregated-3/prefill", new PrefillRequest("long", prompt, 2),
                PrefillResult.class);

        assertThat(result.promptTokens()).isEqualTo(prompt.length);
    }

    @Test
    void anEmptyPromptIsABadRequest() throws Exception {
        HttpResponse<String> response = http.send(request("/workers/aggregated-0/prefill",
                new PrefillRequest("r", new int[0], 4)), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("prompt_token_ids");
    }

    private <T> T post(String path, Object body, Class<T> type) throws Exception {
        HttpResponse<String> response = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventCodec.decode(response.body(), type);
    }

    private HttpRequest request(String path, Object body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encode(body))).build();
    }

    private Map<String, List<String>> consume(Set<String> topics,
                                              java.util.function.Predicate<Map<String, List<String>>> enough) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<String>> records = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && !(records.keySet().containsAll(topics)
                    && enough.test(records))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    records.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.value());
                }
            }
        }
        return records;
    }
}
