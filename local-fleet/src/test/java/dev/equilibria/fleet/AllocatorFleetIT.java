package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.EventCodec;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The allocator end to end: the real fleet from its executable jars (KRaft broker, gateway, 1 prefill and 3 decode
 * workers, allocator, monitor) under a prefill-heavy closed-loop load driven through the gateway. The allocator must
 * move a decode worker to prefill with a role command over Kafka (the worker drains, switches and announces it), and
 * the TTFT clients measure must fall.
 *
 * <p>Sizing (70B FP8 TP4 on B200, the workers' default profile): one worker prefills about 58k prompt tokens per GPU
 * second, so at time scale 0.5 about 7 prompts of 4096 tokens per wall-clock second. Four clients in a closed loop,
 * each taking a few hundred ms per request when nothing queues, offer more than that and less than twice that: one
 * prefill worker saturates and queues, two do not. The time scale is below 1 because the two shared CPU cores, not
 * the simulated GPUs, bound how many requests per second the test can push through the fleet.
 *
 * <p>Actuation is paused while the "before" window is measured (through the admin API, which this also exercises)
 * and resumed after it; the allocator still decides while paused, and says it would move a worker.
 */
class AllocatorFleetIT {

    private static final int PROMPT_TOKENS = 4096;
    private static final int MAX_TOKENS = 4;
    private static final int CLIENTS = 4;
    private static final Duration LOAD_DRAIN = Duration.ofSeconds(30);
    private static final String TIME_SCALE = "0.5";
    private static final Duration WARM_UP = Duration.ofSeconds(6);
    private static final Duration WINDOW = Duration.ofSeconds(15);
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** TTFT after the move must be below this share of TTFT before it. */
    private static final double REQUIRED_RATIO = 0.8;

    /** Allocator settings for a test that has minutes, not hours: decide every 2 s, move once. */
    static final List<String> ALLOCATOR_OPTIONS = List.of(
            "-Dequilibria.allocator.decision-interval=2s",
            "-Dequilibria.allocator.min-dwell=10m",
            "-Dequilibria.allocator.forecast.horizon=10s",
            "-Dequilibria.allocator.actuation-timeout=60s",
            "-Dequilibria.allocator.time-scale=" + TIME_SCALE);

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void underPrefillHeavyLoadADecodeWorkerMovesToPrefillAndTtftFalls() throws Exception {
        Path root = FleetTests.repositoryRoot();
        int offset = FleetTests.freeOffset(3100, 89); // away from FleetIT (1000), RegimeFleetIT (5200)
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EQUILIBRIA_ADMIN_TOKEN");
        // the allocator reads these as Spring properties; the other services ignore them
        String inherited = env.getOrDefault(JavaCommand.ENV_SERVICE_OPTIONS, "");
        env.put(JavaCommand.ENV_SERVICE_OPTIONS, (inherited + " " + String.join(" ", ALLOCATOR_OPTIONS)).trim());
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--detach", "--port-offset",
                Integer.toString(offset), "--home", home.toString(), "--prefill-workers", "1", "--decode-workers", "3",
                "--time-scale", TIME_SCALE}, env, root);
        PrintStream out = System.out;

        Fleet fleet = new Fleet(options, env, out);
        RunningFleet running = fleet.up(false);
        fleet.detach();
        ClosedLoopLoad load = null;
        try {
            Admin admin = new Admin(running.service(ServiceSpec.ALLOCATOR).baseUrl(), running.adminToken().value());
            assertThat(admin.post("/admin/actuation/pause").path("paused").asBoolean()).isTrue();
            admin.await("the allocator to see 1 prefill and 3 decode workers", Duration.ofSeconds(60),
                    a -> a.path("current").path("prefill").asInt() == 1 && a.path("current").path("decode").asInt() == 3);

            load = new ClosedLoopLoad("prefill-heavy", running.gatewayUrl(), running.model(), CLIENTS, PROMPT_TOKENS,
                    MAX_TOKENS, Duration.ZERO, 1);
            load.start();
            Thread.sleep(WARM_UP.toMillis());
            long beforeStart = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            long beforeEnd = System.nanoTime();

            JsonNode held = admin.await("a held decision to grow prefill", Duration.ofSeconds(20), a -> {
                JsonNode d = a.path("last_decision");
                return d.path("reason_code").asString().equals("paused")
                        && d.path("next").path("prefill").asInt() == 2;
            });
            out.println("Allocator while paused: demand " + held.path("demand") + "; decision "
                    + held.path("last_decision").path("reasons"));

            admin.post("/admin/actuation/resume");
            long resumed = System.nanoTime();
            String moved = awaitDecodeWorkerInPrefill(running.service(ServiceSpec.DECODE).baseUrl(),
                    Duration.ofSeconds(60));
            double switchSeconds = (System.nanoTime() - resumed) / 1e9;
            Thread.sleep(SETTLE.toMillis());
            long afterStart = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            long afterEnd = System.nanoTime();
            load.stopAndWait(LOAD_DRAIN);

            List<Double> before = load.ttfts(beforeStart, beforeEnd);
            List<Double> after = load.ttfts(afterStart, afterEnd);
            out.printf(Locale.ROOT, "TTFT before (1P/3D): n=%d mean=%.0f ms p50=%.0f ms p90=%.0f ms%n", before.size(),
                    mean(before), percentile(before, 0.5), percentile(before, 0.9));
            out.printf(Locale.ROOT, "TTFT after  (2P/2D, %s moved %.1f s after resume): n=%d mean=%.0f ms "
                            + "p50=%.0f ms p90=%.0f ms; failed requests: %d%n", moved, switchSeconds, after.size(),
                    mean(after), percentile(after, 0.5), percentile(after, 0.9), load.failures());

            assertThat(before).as("requests measured before the move").hasSizeGreaterThan(20);
            assertThat(after).as("requests measured after the move").hasSizeGreaterThan(20);
            assertThat(mean(after)).as("mean TTFT after the move vs before (%s)", before.size())
                    .isLessThan(REQUIRED_RATIO * mean(before));
            assertThat(load.failures()).as("failed requests").isZero();

            JsonNode now = admin.get("/admin/allocation");
            assertThat(now.path("current").path("prefill").asInt()).isEqualTo(2);
            assertThat(now.path("current").path("decode").asInt()).isEqualTo(2);
            Allocation published = awaitAllocation(running.bootstrap(),
                    a -> a.reason().contains("set_role prefill sent to " + moved));
            assertThat(published.prefillWorkers()).isEqualTo(2);
            assertThat(published.decodeWorkers()).isEqualTo(2);
            assertThat(published.reason()).contains("step 1P/3D -> 2P/2D", "consolidation: decode pool with 2 workers");
            assertThat(published.routingWeights()).containsKey(moved);
        } catch (AssertionError | RuntimeException e) {
            FleetTests.printLogTail(options.layout().log(ServiceSpec.ALLOCATOR), 40);
            throw e;
        } finally {
            if (load != null) {
                load.stopAndWait(LOAD_DRAIN);
            }
            Fleet.down(options.layout(), out);
        }
    }

    /** The allocator's admin API, with the fleet's token. */
    private final class Admin {

        private final String base;
        private final String token;

        Admin(String base, String token) {
            this.base = base;
            this.token = token;
        }

        JsonNode get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        JsonNode post(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
        }

        private JsonNode send(HttpRequest.Builder builder) throws Exception {
            HttpResponse<String> response = http.send(builder.timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
            return EventCodec.mapper().readTree(response.body());
        }

        JsonNode await(String what, Duration timeout, Predicate<JsonNode> condition) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode last = null;
            while (System.nanoTime() < deadline) {
                last = get("/admin/allocation");
                if (condition.test(last)) {
                    return last;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("timed out waiting for " + what + "; last allocation view: " + last);
        }
    }

    /** Polls decode-service's {@code GET /workers} until one of its workers has switched to prefill. */
    private String awaitDecodeWorkerInPrefill(String decodeService, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(decodeService + "/workers"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            last = response.body();
            for (JsonNode worker : EventCodec.mapper().readTree(last)) {
                if (worker.path("role").asString().equals("prefill") && !worker.path("draining").asBoolean()) {
                    return worker.path("worker_id").asString();
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no decode worker switched to prefill within " + timeout.toSeconds()
                + " s; decode-service workers: " + last);
    }

    private static Allocation awaitAllocation(String bootstrap, Predicate<Allocation> condition) {
        List<Allocation> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALLOCATIONS, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Allocation a = EventCodec.decode(record.value(), Allocation.class);
                    seen.add(a);
                    if (condition.test(a)) {
                        return a;
                    }
                }
            }
        }
        throw new AssertionError("no matching allocation on " + Topics.ALLOCATIONS + " among " + seen.size()
                + "; last reasons: " + seen.stream().skip(Math.max(0, seen.size() - 3)).map(Allocation::reason)
                .toList());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
