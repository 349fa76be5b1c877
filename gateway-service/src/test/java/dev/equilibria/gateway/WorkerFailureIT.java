package dev.equilibria.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.e2e.OsWorkerProcess;
import dev.equilibria.e2e.WorkerProcess;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.registry.WorkerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Real worker processes die under load. The fleet: a prefill worker and a decode worker that survive (contexts in
 * this JVM) and a prefill worker and a decode worker in their own JVMs, all on a real KRaft broker; round robin
 * spreads the legs over both. While clients stream completions without pause, the prefill JVM is killed
 * (SIGKILL) while it prefills, then the decode JVM while it streams. Every request must complete with exactly
 * {@code max_tokens} content chunks and no error, the dead workers must leave routing within the heartbeat TTL,
 * and the ledger must hold nothing once the load stops.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "equilibria.gateway.id=gw-faults",
        "equilibria.gateway.heartbeat-ttl=" + WorkerFailureIT.TTL_MILLIS + "ms",
        "equilibria.gateway.router.policy=round_robin",
        "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(count = 1, partitions = 8, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class WorkerFailureIT {

    static final long TTL_MILLIS = 1500;
    /** Workers beat every 200 ms; a dead one is out after the TTL plus at most one beat and one reconcile. */
    static final long OUT_OF_ROUTING_BOUND_MILLIS = TTL_MILLIS + 1000;
    static final int MAX_TOKENS = 120;
    static final int CLIENTS = 6;

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    WorkerRegistry registry;
    @Autowired
    LoadLedger ledger;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ConfigurableApplicationContext> survivors = new ArrayList<>();
    private OsWorkerProcess prefillVictim;
    private OsWorkerProcess decodeVictim;
    private String model;

    @BeforeAll
    void startWorkers() throws Exception {
        String brokers = broker.getBrokersAsString();
        prefillVictim = OsWorkerProcess.start("prefill", 1, "victim-p", brokers);
        decodeVictim = OsWorkerProcess.start("decode", 1, "victim-d", brokers);
        survivors.add(inJvm("prefill", "keep-p", brokers));
        survivors.add(inJvm("decode", "keep-d", brokers));
        // setup, not the measured part: JVM starts are slow on a loaded machine
        await().atMost(Duration.ofSeconds(240)).until(() -> registry.live().size() == 4);
        model = registry.live().get(0).model();
    }

    @AfterAll
    void stopWorkers() throws Exception {
        prefillVictim.close();
        decodeVictim.close();
        survivors.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void requestsSurviveAPrefillWorkerAndADecodeWorkerKilledMidRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        List<CompletableFuture<Void>> clients = IntStream.range(0, CLIENTS)
                .mapToObj(c -> CompletableFuture.runAsync(() -> {
                    for (int i = 0; running.get(); i++) {
                        String problem = streamOnce(c * 1000 + i);
                        if (problem != null) {
                            failures.add(problem);
                        }
                        completed.incrementAndGet();
                    }
                })).toList();

        // kill the prefill JVM while it holds a prefill in flight
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.localLoad("victim-p-0").prefillTokens() > 0);
        prefillVictim.kill();
        long prefillKilled = System.nanoTime();
        await().atMost(Duration.ofMillis(OUT_OF_ROUTING_BOUND_MILLIS)).pollInterval(Duration.ofMillis(20))
                .until(() -> registry.find("victim-p-0").isEmpty());
        long prefillOut = (System.nanoTime() - prefillKilled) / 1_000_000;

        // kill the decode JVM while it streams: its legs have run long enough to be past their first decode token
        // (a kill before that is a plain retry of the leg, not a migration)
        String victimMetrics = registry.find("victim-d-0").orElseThrow().endpoint() + "/actuator/prometheus";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> ledger.localLoad("victim-d-0").requests() >= 1
                        && generatedTokens(victimMetrics, "victim-d-0") >= 10);
        decodeVictim.kill();
        long decodeKilled = System.nanoTime();
        await().atMost(Duration.ofMillis(OUT_OF_ROUTING_BOUND_MILLIS)).pollInterval(Duration.ofMillis(20))
                .until(() -> registry.find("victim-d-0").isEmpty());
        long decodeOut = (System.nanoTime() - decodeKilled) / 1_000_000;

        Thread.sleep(1000); // more load on the survivors alone
        running.set(false);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();

        double migrated = meters.get(GatewayMetrics.MIGRATIONS).tag("outcome", "migrated").counter().count();
        double prefillRetries = meters.find(GatewayMetrics.RETRIES).tag("leg", "prefill").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        double decodeRetries = meters.find(GatewayMetrics.RETRIES).tag("leg", "decode").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        System.out.printf("worker failures: %d requests, %d failed; prefill victim out of routing after %d ms,"
                        + " decode victim after %d ms; %.0f migrations, %.0f prefill retries, %.0f decode retries%n",
                completed.get(), failures.size(), prefillOut, decodeOut, migrated, prefillRetries, decodeRetries);
        assertThat(failures).isEmpty();
        assertThat(completed.get()).isGreaterThanOrEqualTo(CLIENTS);
        assertThat(migrated).as("a stream continued after its decode worker died").isPositive();
        assertThat(prefillRetries).as("a prefill moved after its worker died").isPositive();
        for (String survivor : List.of("keep-p-0", "keep-d-0")) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> ledger.localLoad(survivor).equals(WorkerLoad.NONE));
        }
        assertThat(ledger.localLoad("victim-p-0")).isEqualTo(WorkerLoad.NONE);
        assertThat(ledger.localLoad("victim-d-0")).isEqualTo(WorkerLoad.NONE);
    }

    /** Tokens the worker's engine generated so far, from its own Prometheus endpoint. */
    private double generatedTokens(String metricsUrl, String workerId) {
        try {
            String scrape = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            return scrape.lines()
                    .filter(l -> l.startsWith("equilibria_worker_generation_tokens_total{")
                            && l.contains("worker=\"" + workerId + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** One streamed completion; null when it is whole, else what is wrong with it. */
    private String streamOnce(int seed) {
        int[] prompt = new java.util.Random(seed).ints(2048, 1000, 30000).toArray();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": "
                            + Arrays.toString(prompt) + ", \"max_tokens\": " + MAX_TOKENS
                            + ", \"stream\": true, \"stream_options\": {\"include_usage\": true}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "status " + response.statusCode() + ": " + response.body();
            }
            List<String> data = response.body().lines().filter(l -> l.startsWith("data: "))
                    .map(l -> l.substring(6)).toList();
            if (data.isEmpty() || !data.get(data.size() - 1).equals("[DONE]")) {
                return "no [DONE]: " + response.body();
            }
            int content = 0;
            String finish = null;
            int usageTokens = -1;
            for (String payload : data.subList(0, data.size() - 1)) {
                JsonNode chunk = EventCodec.mapper().readTree(payload);
                if (chunk.has("error")) {
                    return "error event: " + payload;
                }
                JsonNode choices = chunk.path("choices");
                if (choices.size() == 1) {
                    content++;
                    if (!choices.get(0).path("finish_reason").isNull()) {
                        finish = choices.get(0).path("finish_reason").stringValue();
                    }
                } else if (chunk.path("usage").isObject()) {
                    usageTokens = chunk.path("usage").path("completion_tokens").intValue();
                }
            }
            if (content != MAX_TOKENS || usageTokens != MAX_TOKENS || !"length".equals(finish)) {
                return "got " + content + " chunks, usage " + usageTokens + ", finish " + finish;
            }
            return null;
        } catch (Exception e) {
            return "client failure: " + e;
        }
    }

    private static ConfigurableApplicationContext inJvm(String role, String prefix, String brokers) {
        return WorkerProcess.builder().run(
                "--server.port=0",
                "--spring.application.name=" + prefix,
                "--springdoc.api-docs.enabled=false",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--equilibria.worker.role=" + role,
                "--equilibria.worker.count=1",
                "--equilibria.worker.id-prefix=" + prefix,
                "--equilibria.worker.heartbeat-interval=200ms",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN");
    }
}
