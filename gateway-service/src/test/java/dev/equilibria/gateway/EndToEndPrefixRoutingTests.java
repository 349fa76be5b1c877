package dev.equilibria.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.e2e.WorkerProcess;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The gateway with real workers: two prefill workers and a decode worker (worker-runtime, simulated 70B on B200 at
 * 100x real time) in their own contexts, publishing heartbeats and KV events on a real broker. A prefix-heavy
 * workload from the Mooncake trace is replayed twice with disjoint token ids, under {@code kv} and under
 * {@code round_robin}; the prefix-cache hit rate the prefill workers report (usage.prompt_tokens_details) must be
 * higher under kv, and turns of one conversation must land where their prefix is cached.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.gateway.id=gw-e2e"})
@EmbeddedKafka(count = 1, partitions = 8, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext // free the broker and listeners for the next class
class EndToEndPrefixRoutingTests {

    /** Prompt cap in tokens, to keep the run short (4 trace blocks). */
    static final int PROMPT_CAP = 2048;

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    KvIndex index;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext prefillProcess;
    private ConfigurableApplicationContext decodeProcess;
    private String model;

    @BeforeAll
    void startWorkers() throws Exception {
        prefillProcess = workers("prefill", 2, "e2e-prefill");
        decodeProcess = workers("decode", 1, "e2e-decode");
        await().atMost(Duration.ofSeconds(60)).until(() -> json(get("/v1/models")).path("data").size() == 1);
        model = json(get("/v1/models")).path("data").get(0).path("id").stringValue();
        // the index mirrors every worker before the workload starts (snapshots answer the gateway's requests)
        KvEventIndex events = (KvEventIndex) index;
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of("e2e-prefill-0", "e2e-prefill-1", "e2e-decode-0")
                .stream().allMatch(id -> events.synced(id).orElse(false)));
    }

    @AfterAll
    void stopWorkers() {
        for (ConfigurableApplicationContext process : new ConfigurableApplicationContext[] {prefillProcess,
                decodeProcess}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void kvRoutingBeatsRoundRobinOnPrefixHitsAndKeepsConversationsWhereTheirPrefixIs() throws Exception {
        List<MooncakeWorkload.Row> workload = MooncakeWorkload.prefixHeavy(MooncakeWorkload.rows());
        assertThat(workload.size()).isGreaterThan(50);

        Run kv = replay(workload, 1, "kv");
        Run roundRobin = replay(workload, 2, "round_robin");

        System.out.printf("prefix-heavy Mooncake workload, %d requests: hit rate kv %.3f, round_robin %.3f;"
                        + " conversation turns on their earlier turn's worker: kv %.2f, round_robin %.2f%n",
                workload.size(), kv.hitRate(), roundRobin.hitRate(), kv.sameWorkerShare(),
                roundRobin.sameWorkerShare());
        assertThat(kv.hitRate()).isGreaterThan(roundRobin.hitRate() + 0.05);
        assertThat(kv.sameWorkerShare()).isGreaterThan(0.9);
        assertThat(roundRobin.sameWorkerShare()).isLessThan(kv.sameWorkerShare());
    }

    /** Replays the workload sequentially with one policy and one salt; returns what the workers reported. */
    private Run replay(List<MooncakeWorkload.Row> workload, long salt, String policy) throws Exception {
        long cached = 0;
        long prompt = 0;
        List<String> requestIds = new ArrayList<>();
        for (MooncakeWorkload.Row row : workload) {
            int[] tokens = MooncakeWorkload.prompt(row, salt, PROMPT_CAP);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/completions"))
                    .header("Content-Type", "application/json").header("x-router-policy", policy)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": "
                            + Arrays.toString(tokens) + ", \"max_tokens\": 2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode usage = json(response.body()).path("usage");
            cached += usage.path("prompt_tokens_details").path("cached_tokens").intValue();
            prompt += usage.path("prompt_tokens").intValue();
            requestIds.add(json(response.body()).path("id").stringValue());
            Thread.sleep(25); // lets the workers' KV events reach the index before the next turn
        }
        Map<String, String> prefillWorker = prefillWorkers(requestIds);
        Map<Long, String> conversationWorker = new HashMap<>();
        int followUps = 0;
        int sameWorker = 0;
        for (int i = 0; i < workload.size(); i++) {
            String worker = prefillWorker.get(requestIds.get(i));
            String earlier = conversationWorker.put(workload.get(i).hashIds()[1], worker);
            if (earlier != null) {
                followUps++;
                sameWorker += earlier.equals(worker) ? 1 : 0;
            }
        }
        return new Run((double) cached / prompt, followUps == 0 ? 0 : (double) sameWorker / followUps);
    }

    /** Where each request's prefill ran, from the gateway's decision log (what the monitor reads too). */
    private Map<String, String> prefillWorkers(List<String> requestIds) {
        java.util.Set<String> wanted = new java.util.HashSet<>(requestIds);
        Map<String, String> workers = new HashMap<>();
        KafkaProbe.read(broker.getBrokersAsString(), Topics.ROUTING_DECISIONS, RoutingDecision.class,
                d -> wanted.contains(d.requestId()) && d.leg() == RoutingLeg.PREFILL, requestIds.size(),
                Duration.ofSeconds(30)).forEach(d -> workers.put(d.requestId(), d.chosenWorker()));
        assertThat(workers).hasSize(requestIds.size());
        return workers;
    }

    private record Run(double hitRate, double sameWorkerShare) {
    }

    private ConfigurableApplicationContext workers(String role, int count, String prefix) {
        return WorkerProcess.builder().run(
                "--server.port=0",
                "--spring.application.name=" + prefix,
                "--springdoc.api-docs.enabled=false",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--equilibria.worker.role=" + role,
                "--equilibria.worker.count=" + count,
                "--equilibria.worker.id-prefix=" + prefix,
                "--equilibria.worker.time-scale=100",
                "--equilibria.worker.heartbeat-interval=200ms",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN");
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }
}
