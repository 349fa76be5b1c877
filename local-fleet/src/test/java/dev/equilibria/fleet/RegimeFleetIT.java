package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.EventCodec;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Issue #7's end-to-end check on the real fleet: a KRaft broker and the five services from their executable jars
 * (1 prefill and 2 decode workers of the default 70B/B200 profile, slowed to a quarter of real time so that two CPU
 * cores can push them past their knees; the decode workers run at most {@value #DECODE_MAX_NUM_SEQS} sequences a
 * batch, set through decode-service's own environment). Closed-loop clients drive the gateway; the monitor's own
 * poll loop reads the gateway's request records and routing decisions and the workers' load reports from Kafka, and
 * its router-config overrides and capacity alerts go back over Kafka. The monitor changes routing only when
 * saturation is routing's fault, so the class drives two knees on one fleet:
 *
 * <ol>
 *   <li><b>Routing-bound.</b> The gateway's default {@code kv} routing herds even with its in-flight ledger,
 *   because the decode leg's cost counts KV blocks while decode admission is capped by sequence count: one
 *   long-context request ({@value #LONG_PROMPT_TOKENS} tokens, 128 blocks of 64) holds one decode worker's ledger
 *   above what {@value #SHORT_CLIENTS} short requests (one block each) add to the other, so every short decode goes
 *   to the other worker, which queues at its sequence cap while the first has free slots. The workers' own load
 *   reports must show that herd; the monitor must leave BELOW and blame routing ({@code routing_bound}, the decode
 *   pool's imbalance in the reason); the gateway's effective router settings ({@code GET /admin/router-config},
 *   polled every 50 ms) must become the routing table's entry for that regime within two monitor polls of the
 *   transition's timestamp; and the worker that had free slots must fill them. When the load stops, the monitor
 *   must return to BELOW on the offered-load exit and the gateway follow again within two polls.</li>
 *   <li><b>Capacity-bound.</b> Prefill-heavy requests ({@value #HEAVY_PROMPT_TOKENS} unique tokens) from
 *   {@value #HEAVY_CLIENTS} clients queue the single prefill worker past its cap with nothing to rebalance: the
 *   monitor must saturate, report the prefill pool as capacity-bound, send a capacity alert on
 *   {@value Topics#CAPACITY_ALERTS} that the allocator holds, and leave the gateway on its default settings.</li>
 * </ol>
 *
 * <p>The allocator's actuation is paused (through its admin API) so that the topology stays 1P/2D: it still reads
 * the alert and decides, but under the prefill-heavy load it would otherwise move a decode worker to prefill within
 * seconds, which is {@code AllocatorFleetIT}'s subject. The monitor's thresholds and routing attribution are its
 * defaults, the thresholds calibrated from the engine profile for the prefill-heavy prompt length; the launcher
 * passes the fleet's time scale to the monitor so they come out in wall-clock time. The class also covers a fresh
 * fleet's cold start: the first slow requests at almost no load may put the monitor in a regime, which it must
 * leave once the load has doubled without the symptom.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegimeFleetIT {

    /** The monitor polls this often; "within two polls" is measured against it. */
    static final Duration POLL = Duration.ofSeconds(1);
    private static final String TIME_SCALE = "0.25";
    /** Small batches on the decode workers, so that a herd of short decodes queues at the cap. */
    static final int DECODE_MAX_NUM_SEQS = 4;

    /** The long-context request that weighs on one decode worker's ledger: 128 blocks of 64 tokens. */
    static final int LONG_PROMPT_TOKENS = 8192;
    /** Enough output to outlast the routing-bound phase (it is cancelled at the phase's end). */
    private static final int LONG_MAX_TOKENS = 4000;
    /** Short requests: one block each in the decode leg's ledger cost. */
    private static final int SHORT_PROMPT_TOKENS = 32;
    private static final int SHORT_MAX_TOKENS = 48;
    /** Enough to queue past the detector's utilisation threshold on one decode worker (queue_cap 8 per worker). */
    static final int SHORT_CLIENTS = 24;

    /** Prefill-heavy requests: 4096 unique tokens (no prefix-cache hits), 4 tokens out. */
    static final int HEAVY_PROMPT_TOKENS = 4096;
    private static final int HEAVY_MAX_TOKENS = 4;
    /** Enough that the prefill worker (its GPU, not the machine's CPUs) is the bottleneck and queues past its cap. */
    static final int HEAVY_CLIENTS = 24;

    /** The background client pauses this long between its short requests. */
    private static final Duration LIGHT_THINK = Duration.ofMillis(300);
    /** Wall-clock time the gateway needs beyond the GPU's prefill: hops, scheduling on two shared cores. */
    private static final int OVERHEAD_MS = 100;

    static final List<String> MONITOR_OPTIONS = List.of(
            "-Dequilibria.monitor.poll-interval=" + POLL.toMillis() + "ms",
            "-Dequilibria.monitor.rate-window=3s",
            "-Dequilibria.monitor.calibration-prompt-tokens=" + HEAVY_PROMPT_TOKENS,
            "-Dequilibria.monitor.zero-load-overhead-ms=" + OVERHEAD_MS);

    /** The figures of {@code RoutingAttribution}'s evidence in a transition's reason. */
    private static final Pattern IMBALANCE = Pattern.compile("imbalance (\\d+\\.\\d+) >= ");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out = System.out;
    private final long classStartMs = System.currentTimeMillis();

    /** Static: JUnit fills it before {@code @BeforeAll}, and removes it after the class. */
    @TempDir
    static Path home;

    private FleetOptions options;
    private RunningFleet running;
    private Admin monitor;
    private Admin gateway;
    private Admin allocator;
    private GatewayWatch watch;
    private FleetSampler sampler;
    private ClosedLoopLoad light;

    /** The gateway's effective settings of both legs as observed at {@code atMs}. */
    private record Observed(long atMs, String policy, double overlapScoreWeight, double routerTemperature) {

        /** Whether these are {@code published}'s settings; a field it leaves out (null) keeps any value. */
        boolean matches(JsonNode published) {
            JsonNode w = published.path("overlap_score_weight");
            JsonNode t = published.path("router_temperature");
            return policy.equals(published.path("policy").asString())
                    && (w.isNull() || w.isMissingNode() || overlapScoreWeight == w.asDouble())
                    && (t.isNull() || t.isMissingNode() || routerTemperature == t.asDouble());
        }

        boolean sameAs(Observed o) {
            return policy.equals(o.policy) && overlapScoreWeight == o.overlapScoreWeight
                    && routerTemperature == o.routerTemperature;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s w=%s t=%s at %d", policy, overlapScoreWeight, routerTemperature,
                    atMs);
        }
    }

    @BeforeAll
    void startFleetBelowTheKnee() throws Exception {
        Path root = FleetTests.repositoryRoot();
        int offset = FleetTests.freeOffset(5200, 97); // away from FleetIT (1000), AllocatorFleetIT (3100)
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EQUILIBRIA_ADMIN_TOKEN");
        String inherited = env.getOrDefault(JavaCommand.ENV_SERVICE_OPTIONS, "");
        env.put(JavaCommand.ENV_SERVICE_OPTIONS, (inherited + " " + String.join(" ", MONITOR_OPTIONS)).trim());
        options = FleetOptions.parse(new String[] {"up", "--detach", "--port-offset", Integer.toString(offset),
                        "--home", home.toString(), "--prefill-workers", "1", "--decode-workers", "2",
                        "--time-scale", TIME_SCALE}, env, root)
                // equilibria.worker.engine.max-num-seqs for the decode workers only
                .withServiceEnvironment(ServiceSpec.DECODE, Map.of("EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS",
                        Integer.toString(DECODE_MAX_NUM_SEQS)));
        Fleet fleet = new Fleet(options, env, out);
        running = fleet.up(false);
        fleet.detach();
        log("fleet up");
        try {
            String token = running.adminToken().value();
            monitor = new Admin(running.service(ServiceSpec.MONITOR).baseUrl(), token);
            gateway = new Admin(running.gatewayUrl(), token);
            allocator = new Admin(running.service(ServiceSpec.ALLOCATOR).baseUrl(), token);
            // the topology stays 1P/2D: the allocator still hears the capacity alert and decides, but moves nothing
            assertThat(allocator.post("/admin/actuation/pause").path("paused").asBoolean()).isTrue();
            JsonNode thresholds = monitor.get("/admin/thresholds");
            out.println("Monitor thresholds: " + thresholds);
            assertThat(thresholds.path("basis").asString()).contains("at time scale " + TIME_SCALE);
            watch = new GatewayWatch(gateway);
            watch.start();
            sampler = new FleetSampler(monitor, gateway);
            sampler.start();

            light = new ClosedLoopLoad("light", running.gatewayUrl(), running.model(), 1, SHORT_PROMPT_TOKENS,
                    SHORT_MAX_TOKENS, LIGHT_THINK, 1);
            light.start();
            // a fresh fleet's first requests are slow (JIT, connections) at almost no load: the monitor may enter a
            // regime on them, and must leave it again once the load has grown without the symptom
            monitor.await("requests recorded with the fleet BELOW the knee", Duration.ofSeconds(60),
                    "/api/snapshot", s -> s.path("sources").path("records_in_window").asInt() >= 3
                            && s.path("regime").path("regime").asString().equals("BELOW"));
            log("requests recorded, BELOW");
        } catch (AssertionError | RuntimeException e) {
            printLogs();
            throw e;
        }
    }

    /** A progress line with the seconds since the class started. */
    private void log(String what) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.currentTimeMillis() - classStartMs) / 1000.0, what);
    }

    @AfterAll
    void stopFleet() throws Exception {
        if (watch != null) {
            watch.stop();
        }
        if (sampler != null) {
            sampler.stop();
        }
        if (light != null) {
            light.stopAndWait(Duration.ofSeconds(10));
        }
        if (options != null) {
            Fleet.down(options.layout(), out);
        }
    }

    @Test
    @Order(1)
    void aHerdThatRoutingCausesSwitchesRoutingAndTheGatewayFollowsWithinTwoPolls() throws Exception {
        ClosedLoopLoad longContext = null;
        ClosedLoopLoad shorts = null;
        try {
            awaitBelow();
            JsonNode table = monitor.get("/admin/routing-table");

            longContext = new ClosedLoopLoad("long", running.gatewayUrl(), running.model(), 1, LONG_PROMPT_TOKENS,
                    LONG_MAX_TOKENS, Duration.ZERO, 7);
            longContext.start();
            // its decode leg is placed once a second token streams: from then on it weighs on one worker's ledger
            ClosedLoopLoad l = longContext;
            awaitCondition("the long-context request decoding", Duration.ofSeconds(30), () -> l.tokens() >= 2);
            log("long-context request decoding; starting " + SHORT_CLIENTS + " short clients");
            shorts = new ClosedLoopLoad("short", running.gatewayUrl(), running.model(), SHORT_CLIENTS, SHORT_PROMPT_TOKENS,
                    SHORT_MAX_TOKENS, Duration.ZERO, 100);
            long herdFromMs = System.currentTimeMillis();
            shorts.start();

            JsonNode blamed = awaitEntry(herdFromMs, "routing blamed past the knee", Duration.ofSeconds(45),
                    e -> !e.path("published").isNull() && !e.path("published").isMissingNode());
            log("routing blamed " + (blamed.path("timestamp_ms").asLong() - herdFromMs) + " ms after the herd began");
            out.println("Routing blamed: " + blamed);
            JsonNode state = monitor.get("/admin/regime");
            String regime = blamed.path("to").asString();
            assertThat(regime).as("%s", blamed).isIn("TRANSITION", "SATURATED");
            assertThat(state.path("status").path("routing_bound").asBoolean()).as("status %s", state.path("status"))
                    .isTrue();
            assertThat(blamed.path("reason").asString()).contains("pool decode unevenly loaded");
            assertThat(blamed.path("signals").toString()).containsAnyOf("UTILISATION", "TTFT_P99", "LOAD_IMBALANCE");
            JsonNode entry = table.path(regime.toLowerCase(Locale.ROOT));
            assertThat(blamed.path("published").path("policy").asString()).as("table %s", table)
                    .isEqualTo(entry.path("policy").asString()).isNotEqualTo("kv");
            for (JsonNode e : entriesSince(state, herdFromMs)) {
                if (e.path("timestamp_ms").asLong() < blamed.path("timestamp_ms").asLong()) {
                    assertThat(e.path("published").isNull() || e.path("published").isMissingNode())
                            .as("nothing published before routing was blamed: %s", e).isTrue();
                }
            }
            Matcher figures = IMBALANCE.matcher(blamed.path("reason").asString());
            assertThat(figures.find()).as("imbalance in %s", blamed.path("reason")).isTrue();
            assertThat(Double.parseDouble(figures.group(1))).isGreaterThanOrEqualTo(1.5);
            FleetSampler.Sample herd = herdEvidence(herdFromMs, blamed.path("timestamp_ms").asLong());
            out.println("Herd in the workers' own reports before the switch: " + herd.describe("decode"));
            assertGatewayFollows(blamed);
            // the balancing settings fix what routing broke: the worker that had free slots fills them
            String idle = herd.pool("decode").stream().min(Comparator.comparingInt(FleetSampler.WorkerSample::requests))
                    .orElseThrow().id();
            long switchedMs = blamed.path("timestamp_ms").asLong();
            awaitCondition(idle + " filling its free slots under the balancing settings", Duration.ofSeconds(15),
                    () -> sampler.since(switchedMs).stream().anyMatch(x -> x.pool("decode").stream()
                            .anyMatch(w -> w.id().equals(idle) && w.running() >= w.maxNumSeqs())));
            FleetSampler.Sample filled = sampler.since(switchedMs).stream().filter(x -> x.pool("decode").stream()
                    .anyMatch(w -> w.id().equals(idle) && w.running() >= w.maxNumSeqs())).findFirst().orElseThrow();
            log(String.format(Locale.ROOT, "%s full %d ms after the switch: %s", idle, filled.atMs() - switchedMs,
                    filled.describe("decode")));

            shorts.stop();
            longContext.abort();
            JsonNode left = awaitEntry(blamed.path("timestamp_ms").asLong() + 1, "back to BELOW",
                    Duration.ofSeconds(60), e -> e.path("to").asString().equals("BELOW")
                            && !e.path("published").isNull() && !e.path("published").isMissingNode());
            log("back to BELOW");
            out.println("Left: " + left);
            assertThat(left.path("signals").toString()).contains("OFFERED_LOAD");
            assertThat(left.path("reason").asString()).contains("offered load");
            assertThat(left.path("published").path("policy").asString()).isEqualTo("kv");
            assertThat(left.path("published").path("router_temperature").asDouble()).isZero();
            assertThat(left.path("published").path("overlap_score_weight").asDouble()).isEqualTo(1.0);
            assertGatewayFollows(left);

            out.printf(Locale.ROOT, "Requests: light %d (failed %d), short %d (failed %d), long %d tokens%n",
                    light.done(), light.failures(), shorts.done(), shorts.failures(), longContext.tokens());
            // a rare refused worker connection is the gateway's fault handling, not this test's subject
            assertThat(light.failures() + shorts.failures()).as("failed requests")
                    .isLessThanOrEqualTo((light.done() + shorts.done()) / 20);
        } catch (AssertionError | RuntimeException e) {
            printLogs();
            throw e;
        } finally {
            if (shorts != null) {
                shorts.stop();
            }
            if (longContext != null) {
                longContext.abort();
            }
        }
    }

    @Test
    @Order(2)
    void aCapacityBoundKneeAlertsTheAllocatorAndLeavesRoutingAlone() throws Exception {
        ClosedLoopLoad heavy = null;
        try {
            awaitBelow();
            Observed before = watch.latest();
            assertThat(before).isNotNull();
            assertThat(before.policy()).isEqualTo("kv");

            heavy = new ClosedLoopLoad("heavy", running.gatewayUrl(), running.model(), HEAVY_CLIENTS, HEAVY_PROMPT_TOKENS,
                    HEAVY_MAX_TOKENS, Duration.ZERO, 300);
            long heavyFromMs = System.currentTimeMillis();
            heavy.start();
            log("started " + HEAVY_CLIENTS + " prefill-heavy clients");
            JsonNode state = monitor.await("SATURATED with the prefill pool capacity-bound", Duration.ofSeconds(45),
                    "/admin/regime", s -> s.path("status").path("regime").asString().equals("SATURATED")
                            && s.path("status").path("capacity_bound_pools").toString().contains("prefill"));
            CapacityAlert alert = awaitCapacityAlert(heavyFromMs, "prefill", Duration.ofSeconds(15));
            log("capacity alert " + (alert.timestampMs() - heavyFromMs) + " ms after the prefill-heavy load began");
            out.println("Capacity alert: " + alert);
            sampler.between(heavyFromMs, System.currentTimeMillis()).stream()
                    .max(Comparator.comparingInt(s -> s.pool("prefill").stream()
                            .mapToInt(FleetSampler.WorkerSample::waiting).sum()))
                    .ifPresent(s -> out.println("Prefill queue at its longest: " + s.describe("prefill")));
            state = monitor.get("/admin/regime");
            out.println("Regime: " + state.path("status") + " reading " + state.path("reading"));

            assertThat(alert.state()).isEqualTo("raised");
            assertThat(alert.workers()).isEqualTo(1);
            assertThat(alert.workersAtCap()).isEqualTo(1);
            assertThat(alert.imbalance()).isLessThanOrEqualTo(1.25);
            assertThat(alert.reason()).contains("routing cannot help");
            JsonNode heard = allocator.await("the allocator holding the prefill alert", Duration.ofSeconds(10),
                    "/admin/allocation", a -> a.path("capacity_alerts").path("prefill").path("state").asString()
                            .equals("raised")).path("capacity_alerts").path("prefill");
            out.println("Allocator's view of the alert: " + heard);
            assertThat(state.path("status").path("routing_bound").asBoolean()).isFalse();
            assertThat(state.path("status").path("routing").path("policy").asString()).isEqualTo("kv");
            List<JsonNode> entries = entriesSince(state, heavyFromMs);
            assertThat(entries).as("the monitor left BELOW").anySatisfy(e -> {
                assertThat(e.path("from").asString()).isEqualTo("BELOW");
                assertThat(e.path("to").asString()).isIn("TRANSITION", "SATURATED");
                assertThat(e.path("signals").toString()).containsAnyOf("TTFT_P99", "UTILISATION");
            });
            out.println("Transitions: " + entries);
            for (JsonNode e : entries) {
                assertThat(e.path("published").isNull() || e.path("published").isMissingNode())
                        .as("no router settings published for a capacity problem: %s", e).isTrue();
                assertThat(e.path("reason").asString()).doesNotContain("unevenly loaded");
            }
            List<Observed> changes = watch.changesSince(heavyFromMs);
            assertThat(changes).as("the gateway's settings since the prefill-heavy load began").isEmpty();
            assertThat(watch.latest().sameAs(before)).as("gateway runs %s", watch.latest()).isTrue();
            out.printf(Locale.ROOT, "Requests: light %d (failed %d), heavy %d (failed %d)%n", light.done(),
                    light.failures(), heavy.done(), heavy.failures());
            out.println("Monitor history: " + monitor.get("/admin/regime").path("history"));
        } catch (AssertionError | RuntimeException e) {
            printLogs();
            throw e;
        } finally {
            if (heavy != null) {
                heavy.stopAndWait(Duration.ofSeconds(20));
            }
        }
    }

    /** Waits until the monitor is BELOW with requests recorded, then checks it stays there for a few polls. */
    private void awaitBelow() throws Exception {
        log("waiting for BELOW");
        monitor.await("the fleet BELOW the knee", Duration.ofSeconds(60), "/admin/regime",
                s -> s.path("status").path("regime").asString().equals("BELOW"));
        Thread.sleep(3 * POLL.toMillis());
        assertThat(monitor.get("/admin/regime").path("status").path("regime").asString())
                .as("regime under the light load").isEqualTo("BELOW");
    }

    /**
     * The workers' own load reports (as the monitor saw them) between the herd's start and the switch: the largest
     * decode-pool max/mean of running + waiting requests on a sample the monitor would count as misrouted, with the
     * gateway's ledger at that sample. Asserts the herd showed up there: uneven past the monitor's threshold.
     */
    private FleetSampler.Sample herdEvidence(long fromMs, long toMs) {
        FleetSampler.Sample worst = null;
        for (FleetSampler.Sample s : sampler.between(fromMs, toMs)) {
            if (s.misrouted("decode") && (worst == null || s.imbalance("decode") > worst.imbalance("decode"))) {
                worst = s;
            }
        }
        assertThat(worst).as("a decode-pool sample with uneven load and a worker with room; samples %s",
                sampler.between(fromMs, toMs)).isNotNull();
        assertThat(worst.imbalance("decode")).isGreaterThanOrEqualTo(1.5);
        return worst;
    }

    /**
     * The gateway must run the transition's settings on both legs within two polls of the transition's timestamp
     * (the monitor's clock, which is this machine's).
     */
    private void assertGatewayFollows(JsonNode transition) throws Exception {
        long transitionMs = transition.path("timestamp_ms").asLong();
        JsonNode published = transition.path("published");
        long deadline = transitionMs + 2 * POLL.toMillis();
        while (System.currentTimeMillis() < deadline + 500) {
            Thread.sleep(50);
        }
        Long followedMs = watch.firstMatchSince(transitionMs, published);
        out.printf(Locale.ROOT, "Gateway followed %s -> %s (%s) after %s ms%n", transition.path("from").asString(),
                transition.path("to").asString(), published, followedMs == null ? "never" : followedMs - transitionMs);
        assertThat(followedMs).as("gateway running %s; observed %s", published, watch.around(transitionMs))
                .isNotNull();
        assertThat(followedMs - transitionMs).as("gateway config change after the monitor's transition (ms)")
                .isLessThanOrEqualTo(2 * POLL.toMillis());
    }

    /** The first history entry at or after {@code sinceMs} that satisfies {@code condition}, waiting for it. */
    private JsonNode awaitEntry(long sinceMs, String what, Duration timeout, Predicate<JsonNode> condition)
            throws Exception {
        JsonNode state = monitor.await(what, timeout, "/admin/regime",
                s -> entriesSince(s, sinceMs).stream().anyMatch(condition));
        return entriesSince(state, sinceMs).stream().filter(condition).findFirst().orElseThrow();
    }

    private static List<JsonNode> entriesSince(JsonNode state, long sinceMs) {
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode e : state.path("history")) {
            if (e.path("timestamp_ms").asLong() >= sinceMs) {
                entries.add(e);
            }
        }
        return entries;
    }

    /** The first capacity alert for {@code pool} raised at or after {@code sinceMs}, read from Kafka. */
    private CapacityAlert awaitCapacityAlert(long sinceMs, String pool, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, running.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> assigned = List.of();
            while (assigned.isEmpty() && System.nanoTime() < deadline) {
                List<PartitionInfo> partitions = consumer.partitionsFor(Topics.CAPACITY_ALERTS, Duration.ofSeconds(5));
                assigned = partitions == null ? List.of()
                        : partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            assertThat(assigned).as("partitions of %s", Topics.CAPACITY_ALERTS).isNotEmpty();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            List<CapacityAlert> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    CapacityAlert alert = EventCodec.decode(record.value(), CapacityAlert.class);
                    seen.add(alert);
                    if (alert.timestampMs() >= sinceMs && alert.pool().equals(pool) && alert.state().equals("raised")) {
                        assertThat(record.key()).isEqualTo(pool);
                        return alert;
                    }
                }
            }
            throw new AssertionError("no capacity alert for pool " + pool + " on " + Topics.CAPACITY_ALERTS
                    + " within " + timeout.toSeconds() + " s; seen " + seen);
        }
    }

    private static void awaitCondition(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Polls the gateway's {@code GET /admin/router-config} and keeps each change of the effective settings. */
    private static final class GatewayWatch {

        private final Admin gateway;
        private final List<Observed> changes = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        GatewayWatch(Admin gateway) {
            this.gateway = gateway;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        JsonNode effective = gateway.get("/admin/router-config").path("effective");
                        long at = System.currentTimeMillis();
                        JsonNode prefill = effective.path("prefill");
                        JsonNode decode = effective.path("decode");
                        Observed o = new Observed(at, prefill.path("policy").asString(),
                                prefill.path("overlap_score_weight").asDouble(),
                                prefill.path("router_temperature").asDouble());
                        Observed d = new Observed(at, decode.path("policy").asString(),
                                decode.path("overlap_score_weight").asDouble(),
                                decode.path("router_temperature").asDouble());
                        // the override is fleet-wide: both legs must carry it, or the prefill view means nothing
                        Observed last = latest();
                        if (o.sameAs(d) && (last == null || !last.sameAs(o))) {
                            changes.add(o);
                        }
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception | AssertionError e) {
                        System.out.println("gateway admin poll failed: " + e);
                    }
                }
            }, "gateway-config-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(5_000);
        }

        Observed latest() {
            return changes.isEmpty() ? null : changes.get(changes.size() - 1);
        }

        /** When the gateway was first seen running {@code published} after {@code sinceMs}; null if not yet. */
        Long firstMatchSince(long sinceMs, JsonNode published) {
            Observed before = null;
            for (Observed o : changes) {
                if (o.atMs() <= sinceMs) {
                    before = o;
                } else if (o.matches(published)) {
                    return o.atMs();
                }
            }
            // already running them at the transition (a republish got there first): no change to wait for
            return before != null && before.matches(published) ? sinceMs : null;
        }

        List<Observed> changesSince(long sinceMs) {
            return changes.stream().filter(o -> o.atMs() > sinceMs).toList();
        }

        List<Observed> around(long ms) {
            return changes.stream().filter(o -> Math.abs(o.atMs() - ms) < 30_000).toList();
        }
    }

    /**
     * Every half second: each worker's own load (running, waiting, {@code max_num_seqs}, at cap) from the monitor's
     * snapshot, and the gateway's in-flight ledger (requests, decode blocks) for the same worker.
     */
    private static final class FleetSampler {

        record WorkerSample(String id, String role, int running, int waiting, int maxNumSeqs, boolean atCap,
                            int ledgerRequests, long ledgerDecodeBlocks) {

            int requests() {
                return running + waiting;
            }

            @Override
            public String toString() {
                return String.format(Locale.ROOT, "%s %d+%d/%d%s (ledger %d req, %d blocks)", id, running, waiting,
                        maxNumSeqs, atCap ? " AT CAP" : "", ledgerRequests, ledgerDecodeBlocks);
            }
        }

        record Sample(long atMs, List<WorkerSample> workers) {

            List<WorkerSample> pool(String role) {
                return workers.stream().filter(w -> w.role().equals(role)).toList();
            }

            /** Max over mean of running + waiting requests per worker of {@code role}, as the monitor computes it. */
            double imbalance(String role) {
                double max = pool(role).stream().mapToInt(WorkerSample::requests).max().orElse(0);
                double mean = pool(role).stream().mapToInt(WorkerSample::requests).average().orElse(0);
                return mean > 0 ? max / mean : 1;
            }

            /**
             * The busiest worker of {@code role} at least half full while another has room: uneven load there is
             * routing's doing, as the monitor judges it.
             */
            boolean misrouted(String role) {
                WorkerSample busiest = pool(role).stream().max(Comparator.comparingInt(WorkerSample::requests))
                        .orElse(null);
                return pool(role).size() >= 2 && pool(role).stream().anyMatch(w -> !w.atCap())
                        && (busiest.atCap() || 2 * busiest.requests() >= busiest.maxNumSeqs());
            }

            String describe(String role) {
                return String.format(Locale.ROOT, "at %d: %s imbalance %.2f, %s", atMs, role, imbalance(role),
                        pool(role));
            }
        }

        private final Admin monitor;
        private final Admin gateway;
        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        FleetSampler(Admin monitor, Admin gateway) {
            this.monitor = monitor;
            this.gateway = gateway;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        JsonNode snapshot = monitor.get("/api/snapshot");
                        JsonNode ledger = gateway.get("/admin/ledger").path("workers");
                        List<WorkerSample> workers = new ArrayList<>();
                        for (JsonNode w : snapshot.path("workers")) {
                            JsonNode l = ledger.path(w.path("worker_id").asString());
                            workers.add(new WorkerSample(w.path("worker_id").asString(), w.path("role").asString(),
                                    w.path("running").asInt(), w.path("waiting").asInt(),
                                    w.path("max_num_seqs").asInt(), w.path("at_cap").asBoolean(),
                                    l.path("requests").asInt(), l.path("decode_blocks").asLong()));
                        }
                        samples.add(new Sample(System.currentTimeMillis(), workers));
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception | AssertionError e) {
                        System.out.println("fleet sample failed: " + e);
                    }
                }
            }, "fleet-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(5_000);
        }

        List<Sample> since(long fromMs) {
            return between(fromMs, Long.MAX_VALUE);
        }

        List<Sample> between(long fromMs, long toMs) {
            return samples.stream().filter(s -> s.atMs() >= fromMs && s.atMs() <= toMs).toList();
        }
    }

    /** A service's admin API, with the fleet's token. */
    private final class Admin {

        private final String base;
        private final String token;

        Admin(String base, String token) {
            this.base = base;
            this.token = token;
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET()
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 204) { // the monitor's snapshot before its first poll
                return MissingNode.getInstance();
            }
            assertThat(response.statusCode()).as("GET %s%s: %s", base, path, response.body()).isEqualTo(200);
            return EventCodec.mapper().readTree(response.body());
        }

        JsonNode post(String path) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST %s%s: %s", base, path, response.body()).isEqualTo(200);
            return EventCodec.mapper().readTree(response.body());
        }

        JsonNode await(String what, Duration timeout, String path, Predicate<JsonNode> condition) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode last = null;
            while (System.nanoTime() < deadline) {
                last = get(path);
                if (condition.test(last)) {
                    return last;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                    + "; last " + path + ": " + last);
        }
    }

    private void printLogs() {
        if (options != null) {
            FleetTests.printLogTail(options.layout().log(ServiceSpec.MONITOR), 40);
            FleetTests.printLogTail(options.layout().log(ServiceSpec.GATEWAY), 20);
        }
    }
}
