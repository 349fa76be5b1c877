package dev.equilibria.fleet.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.fleet.ExtraWorkerProcess;
import dev.equilibria.fleet.Fleet;
import dev.equilibria.fleet.FleetOptions;
import dev.equilibria.fleet.FleetTests;
import dev.equilibria.fleet.JavaCommand;
import dev.equilibria.fleet.RunningFleet;
import dev.equilibria.fleet.ServiceSpec;
import dev.equilibria.fleet.bench.BenchOptions;
import dev.equilibria.fleet.bench.BenchRun;
import dev.equilibria.fleet.bench.RequestResult;
import dev.equilibria.fleet.bench.Stats;
import dev.equilibria.fleet.bench.WorkloadSource;
import dev.equilibria.protocol.event.EventCodec;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The reliability suite of issue #6: the real fleet (KRaft broker, the five services, and a second decode-service
 * process whose worker can be killed while the first process's two survive), the load generator running in the
 * background, one fault per scenario, and the properties that must hold: no lost request (each one ends in a
 * complete response or an explicit error), no duplicated or missing token, and a bounded recovery. Each scenario
 * adds a row to {@code target/reliability/results.md}.
 *
 * <p>Scale: {@code -Dequilibria.reliability.scale=small} (the default, part of {@code ./mvnw verify}) or
 * {@code large} (more clients, longer streams, longer faults; {@code -Preliability}).
 *
 * <p>Capacity is made small and known: the gateway admits {@value #MAX_INFLIGHT_PER_WORKER} decode legs per worker
 * (3 decode workers: 12 concurrent requests) and queues {@value #QUEUE_CAPACITY} more, so the overload burst is 3x
 * capacity by construction.
 */
@Tag("reliability")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilitySuiteIT {

    static final int MAX_INFLIGHT_PER_WORKER = 4;
    static final int QUEUE_CAPACITY = 4;
    static final int DECODE_WORKERS = 2;
    static final String EXTRA_DECODE_PREFIX = "decode-x";
    static final String EXTRA_DECODE = "decode-service-2";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);
    /** How long the fleet may take to serve again after a scenario, before the next one starts. */
    static final Duration STEADY_TIMEOUT = Duration.ofSeconds(90);

    /** Load, fault lengths and recovery bounds of one scale. */
    record Scale(String name, int clients, int maxTokens, Duration before, Duration outage, Duration after,
                 Duration recoveryBound) {

        static Scale fromSystemProperty() {
            String name = System.getProperty("equilibria.reliability.scale", "small").trim().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "small" -> new Scale(name, 4, 16, Duration.ofSeconds(3), Duration.ofSeconds(8),
                        Duration.ofSeconds(6), Duration.ofSeconds(20));
                case "large" -> new Scale(name, 12, 64, Duration.ofSeconds(15), Duration.ofSeconds(30),
                        Duration.ofSeconds(30), Duration.ofSeconds(30));
                default -> throw new IllegalArgumentException(
                        "equilibria.reliability.scale must be small or large, got '" + name + "'");
            };
        }

        String load() {
            return "paper, C=" + clients + ", max_tokens " + maxTokens;
        }
    }

    private final Scale scale = Scale.fromSystemProperty();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Fleet fleet;
    private RunningFleet running;
    private ReliabilityResults results;

    /** The fleet's logs live in a temporary folder that goes with the test: a failure prints what matters first. */
    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext test, Throwable cause) {
            if (running != null) {
                // a restarted service appends to its log, so the tail spans the fault
                FleetTests.printLogTail(running.layout().log(ServiceSpec.GATEWAY), 400);
                FleetTests.printLogTail(running.layout().log(ServiceSpec.DECODE), 100);
            }
        }
    };

    @BeforeAll
    void startTheFleet(@TempDir Path home) {
        Path root = FleetTests.repositoryRoot();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EQUILIBRIA_ADMIN_TOKEN");
        // the gateway reads these as Spring properties; the other services ignore them
        String inherited = env.getOrDefault(JavaCommand.ENV_SERVICE_OPTIONS, "");
        env.put(JavaCommand.ENV_SERVICE_OPTIONS, (inherited
                + " -Dequilibria.gateway.admission.max-inflight-per-worker=" + MAX_INFLIGHT_PER_WORKER
                + " -Dequilibria.gateway.admission.queue-capacity=" + QUEUE_CAPACITY).trim());
        int offset = FleetTests.freeOffset(7300, 79, ServiceSpec.EXTRA_BASE_PORT);
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--detach", "--port-offset",
                        Integer.toString(offset), "--home", home.toString(), "--decode-workers",
                        Integer.toString(DECODE_WORKERS)}, env, root)
                .withExtraWorkerProcesses(List.of(ExtraWorkerProcess.decode(1, EXTRA_DECODE_PREFIX)));
        fleet = new Fleet(options, env, System.out);
        running = fleet.up(false);
        results = ReliabilityResults.create(root.resolve("local-fleet/target/reliability/results.md"),
                "Reliability suite (" + scale.name() + " scale)",
                "Fleet: KRaft broker, gateway, 1 prefill worker, " + DECODE_WORKERS + " decode workers in "
                        + "decode-service + 1 in " + EXTRA_DECODE + ", allocator, monitor; gateway admits "
                        + MAX_INFLIGHT_PER_WORKER + " decode legs per worker and queues " + QUEUE_CAPACITY
                        + ". Load: the paper workload in a closed loop. Times are from the fault's injection.");
    }

    @AfterAll
    void stopTheFleet() {
        if (fleet != null) {
            fleet.stop();
        }
    }

    @BeforeEach
    void fleetServesAllWorkers() throws Exception {
        awaitWorkers(1 + DECODE_WORKERS + (fleet.process(EXTRA_DECODE).isAlive() ? 1 : 0));
        awaitOneSuccess();
    }

    /**
     * 3x capacity on top of the base load: the requests the gateway cannot admit get 429 with Retry-After, the
     * admitted ones keep a bounded latency, nothing is lost, and the base load is error-free again soon after.
     */
    @Test
    @Order(1)
    void overloadBurst() throws Exception {
        int capacity = MAX_INFLIGHT_PER_WORKER * (DECODE_WORKERS + 1);
        OverloadBurst burst = new OverloadBurst(running.gatewayUrl(), running.model(), 3 * capacity,
                scale.maxTokens(), scale.outage());
        Scenario scenario = runScenario(burst, Duration.ZERO);
        BenchRun.Result burstResult = burst.result();
        LoadVerdict base = scenario.verdict();
        LoadVerdict burstVerdict = LoadVerdict.of(burst.name(), "burst", burstResult.requests(), 0);
        results.add(base);
        print(burstVerdict);

        for (LoadVerdict v : List.of(base, burstVerdict)) {
            assertThat(v.lost()).as("lost requests (%s): %s", v.load(), v.examples(v.lost())).isEmpty();
            assertThat(v.tokenErrors()).as("duplicated or missing tokens (%s): %s", v.load(),
                    v.examples(v.tokenErrors())).isEmpty();
            assertThat(v.explicitErrors()).as("errors other than 429 with Retry-After (%s): %s", v.load(),
                    v.examples(v.explicitErrors())).allSatisfy(r -> {
                        assertThat(r.errorKind()).isEqualTo("http_429:queue_full");
                        assertThat(r.retryAfter()).isNotBlank();
                    });
        }
        assertThat(burstVerdict.explicitErrors()).as("the burst went past capacity: some requests were shed")
                .isNotEmpty();
        Stats admittedE2e = Stats.of(burstResult.requests().stream().filter(RequestResult::succeeded)
                .mapToDouble(RequestResult::e2eMs).toArray());
        assertThat(admittedE2e.count()).as("admitted burst requests").isPositive();
        assertThat(admittedE2e.p99()).as("p99 end-to-end latency of admitted requests (ms)")
                .isLessThan(scale.recoveryBound().toMillis());
        assertRecovered(base, scenario.healedAfterS());
    }

    /**
     * A rolling restart of the gateway under load: in-flight streams drain on SIGTERM; requests sent while it is down
     * are refused (explicit); none is lost; after the restart the load succeeds again.
     */
    @Test
    @Order(2)
    void gatewaySigtermAndRestart() throws Exception {
        RollingRestart restart = new RollingRestart(fleet, ServiceSpec.GATEWAY, Fleet.STOP_GRACE);
        Scenario scenario = runScenario(restart, Duration.ZERO);
        LoadVerdict v = scenario.verdict();
        results.add(v);

        assertThat(restart.stoppedGracefully()).as("the gateway stopped within the grace period").isTrue();
        assertThat(v.lost()).as("lost requests: %s", v.examples(v.lost())).isEmpty();
        assertThat(v.tokenErrors()).as("duplicated or missing tokens: %s", v.examples(v.tokenErrors())).isEmpty();
        assertRecovered(v, scenario.healedAfterS());
    }

    /**
     * A rolling restart of a worker process under load: on SIGTERM its workers announce draining, the gateway places
     * new legs on the survivors, the streams in flight finish, and the restarted workers rejoin; no request fails.
     */
    @Test
    @Order(3)
    void workerSigtermAndRestart() throws Exception {
        RollingRestart restart = new RollingRestart(fleet, EXTRA_DECODE, Fleet.STOP_GRACE);
        Scenario scenario = runScenario(restart, Duration.ZERO);
        LoadVerdict v = scenario.verdict();
        results.add(v);

        assertThat(restart.stoppedGracefully()).as("the worker process drained within the grace period").isTrue();
        assertThat(v.lost()).as("lost requests: %s", v.examples(v.lost())).isEmpty();
        assertThat(v.tokenErrors()).as("duplicated or missing tokens: %s", v.examples(v.tokenErrors())).isEmpty();
        assertThat(v.explicitErrors()).as("failed requests (draining workers hand their new legs to the others): %s",
                v.examples(v.explicitErrors())).isEmpty();
        assertRecovered(v, scenario.healedAfterS());
        awaitWorkers(1 + DECODE_WORKERS + 1);
    }

    /**
     * kill -9 of the decode-service process holding one decode worker, mid-stream: its streams migrate to the
     * survivors and continue with no duplicated and no missing token, new requests avoid it, and no request fails.
     */
    @Test
    @Order(4)
    void killAnExtraDecodeProcess() throws Exception {
        KillProcess kill = new KillProcess(fleet, EXTRA_DECODE, false);
        String extraUrl = fleet.specs().stream().filter(s -> s.name().equals(EXTRA_DECODE)).findFirst()
                .orElseThrow().baseUrl();
        int[] streamsKilled = new int[1];
        // the kill must hit streams in flight on the extra process's worker, not an idle one
        Fault midStream = new Fault() {
            @Override
            public String name() {
                return kill.name() + " mid-stream";
            }

            @Override
            public void inject() {
                streamsKilled[0] = awaitRunning(extraUrl);
                kill.inject();
            }
        };
        Scenario scenario = runScenario(midStream, Duration.ZERO);
        LoadVerdict v = scenario.verdict();
        results.add(v);

        assertThat(streamsKilled[0]).as("streams running on the killed worker").isPositive();
        assertThat(fleet.process(EXTRA_DECODE).isAlive()).isFalse();
        assertThat(v.lost()).as("lost requests: %s", v.examples(v.lost())).isEmpty();
        assertThat(v.tokenErrors()).as("duplicated or missing tokens: %s", v.examples(v.tokenErrors())).isEmpty();
        assertThat(v.explicitErrors()).as("failed requests (streams must migrate, new legs avoid the dead worker): %s",
                v.examples(v.explicitErrors())).isEmpty();
        assertRecovered(v, scenario.healedAfterS());
    }

    /**
     * The broker stops for a while and comes back: the gateway and workers keep serving from their last known state,
     * so no request fails, and they resynchronise when it returns.
     */
    @Test
    @Order(5)
    void brokerStopAndRestart() throws Exception {
        BrokerOutage outage = new BrokerOutage(fleet);
        Scenario scenario = runScenario(outage, scale.outage());
        LoadVerdict v = scenario.verdict();
        results.add(v);

        assertThat(v.lost()).as("lost requests: %s", v.examples(v.lost())).isEmpty();
        assertThat(v.tokenErrors()).as("duplicated or missing tokens: %s", v.examples(v.tokenErrors())).isEmpty();
        assertThat(v.explicitErrors()).as("failed requests while the broker was away: %s",
                v.examples(v.explicitErrors())).isEmpty();
        assertRecovered(v, scenario.healedAfterS());
        // resynchronised: the gateway still (or again) sees every worker through Kafka
        awaitWorkers(1 + DECODE_WORKERS + (fleet.process(EXTRA_DECODE).isAlive() ? 1 : 0));
    }

    /** One scenario's load and timing. */
    record Scenario(LoadVerdict verdict, double healedAfterS) {
    }

    /**
     * Runs the load, injects the fault after the warm-up, heals it after {@code outage}, keeps the load on for the
     * scale's after-period, then stops the load and waits for the requests in flight.
     */
    private Scenario runScenario(Fault fault, Duration outage) throws InterruptedException {
        BenchOptions options = BenchOptions.parse(new String[] {"--url", running.gatewayUrl(), "--model",
                running.model(), "--concurrency", Integer.toString(scale.clients()), "--output-tokens",
                Integer.toString(scale.maxTokens()), "--request-timeout", REQUEST_TIMEOUT.toSeconds() + "s",
                "--duration", "1h", "--quiet"}, Map.of());
        BenchRun load = new BenchRun(options, WorkloadSource.of(options), running.gatewayUrl(), running.model(),
                Optional.empty()).start();
        long faultAt;
        long healedAt;
        try {
            Thread.sleep(scale.before().toMillis());
            faultAt = load.now();
            System.out.println("[reliability] inject: " + fault.name());
            fault.inject();
            Thread.sleep(outage.toMillis());
            fault.heal();
            healedAt = load.now();
            System.out.printf(Locale.ROOT, "[reliability] healed %.1f s after the fault%n", (healedAt - faultAt) / 1e9);
            Thread.sleep(scale.after().toMillis());
        } finally {
            load.stop();
        }
        BenchRun.Result result = load.await();
        load.close();
        LoadVerdict verdict = LoadVerdict.of(fault.name(), scale.load(), result.requests(), faultAt);
        print(verdict);
        return new Scenario(verdict, (healedAt - faultAt) / 1e9);
    }

    /**
     * Recovery is bounded: the first request sent after the fault that succeeds, and the end of the last failure,
     * both come within the scale's bound after the component is back; and requests succeed after the last failure.
     */
    private void assertRecovered(LoadVerdict v, double healedAfterS) {
        double bound = healedAfterS + scale.recoveryBound().toSeconds();
        assertThat(v.firstSuccessS()).as("a request sent after the fault succeeded").isPresent();
        assertThat(v.firstSuccessS().getAsDouble()).as("first success after the fault (s)").isLessThanOrEqualTo(bound);
        assertThat(v.errorsClearedS()).as("errors cleared after the fault (s)").isLessThanOrEqualTo(bound);
        assertThat(v.successesAfterErrors()).as("successful requests after the last failure")
                .isGreaterThanOrEqualTo(scale.clients());
    }

    /** Polls a worker process's {@code GET /workers} until one of its workers runs a sequence; returns how many. */
    private int awaitRunning(String workerServiceUrl) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(workerServiceUrl
                        + "/workers")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                int running = 0;
                for (JsonNode worker : EventCodec.mapper().readTree(response.body())) {
                    running += worker.path("load").path("running_requests").asInt(0);
                }
                if (running > 0) {
                    return running;
                }
                Thread.sleep(10);
            } catch (java.io.IOException e) {
                // try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return 0;
    }

    private static void print(LoadVerdict v) {
        System.out.println("[reliability] " + v.markdownRow() + " errors " + v.errorKinds() + " lost " + v.lostKinds());
    }

    /** Waits until the gateway lists {@code count} live workers (heartbeats over Kafka). */
    private void awaitWorkers(int count) throws Exception {
        long deadline = System.nanoTime() + STEADY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create(running.gatewayUrl() + "/admin/workers")).timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + running.adminToken().value()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.body();
                if (response.statusCode() == 200 && workerIds(EventCodec.mapper().readTree(last)).size() == count) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the gateway did not list " + count + " workers within " + STEADY_TIMEOUT.toSeconds()
                + " s; last answer: " + last);
    }

    private static List<String> workerIds(JsonNode answer) {
        JsonNode list = answer.isArray() ? answer : answer.path("workers");
        List<String> ids = new ArrayList<>();
        for (JsonNode worker : list) {
            String id = worker.path("worker_id").asString("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Waits until one streamed request succeeds: the previous scenario's fault is behind us. */
    private void awaitOneSuccess() throws InterruptedException {
        long deadline = System.nanoTime() + STEADY_TIMEOUT.toNanos();
        RequestResult last = null;
        while (System.nanoTime() < deadline) {
            BenchOptions probe = BenchOptions.paper(running.gatewayUrl(), running.model(), 1, 4)
                    .withLimits(1, Optional.empty()).withProgress(false);
            try (BenchRun run = new BenchRun(probe, WorkloadSource.of(probe), running.gatewayUrl(), running.model(),
                    Optional.empty())) {
                last = run.run().requests().get(0);
            }
            if (last.succeeded()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the fleet did not serve a request within " + STEADY_TIMEOUT.toSeconds() + " s: "
                + last + " " + (last == null ? "" : last.errorMessage()));
    }
}
