package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Issue #7's end-to-end check on the real fleet: a KRaft broker and the five services from their executable jars
 * (1 prefill and 1 decode worker of the default 70B/B200 profile, slowed to a quarter of real time so that two CPU
 * cores can push the prefill worker past its knee). Closed-loop clients drive the gateway; the monitor's own poll
 * loop reads the gateway's request records and routing decisions and the workers' load reports from Kafka, and its
 * router-config override goes back over Kafka to the gateway.
 *
 * <p>One light client keeps the fleet BELOW the knee; eleven more push it past: the monitor must leave BELOW naming
 * the signal that fired, and the gateway's effective router settings ({@code GET /admin/router-config}, polled every
 * 50 ms) must become that regime's within two monitor polls of the transition's timestamp. When the eleven stop, the
 * regime must go back to BELOW on the offered-load exit, and the gateway must follow again within two polls.
 *
 * <p>The monitor's thresholds are its defaults, calibrated from the engine profile for the test's prompt length;
 * the launcher passes the fleet's time scale to the monitor so they come out in wall-clock time.
 */
class RegimeFleetIT {

    /** The monitor polls this often; "within two polls" is measured against it. */
    static final Duration POLL = Duration.ofSeconds(1);
    private static final String TIME_SCALE = "0.25";
    /** Prefill-heavy requests: 4096 unique tokens (no prefix-cache hits), 4 tokens out. */
    private static final int PROMPT_TOKENS = 4096;
    private static final int MAX_TOKENS = 4;
    /** The light client pauses this long between requests: about half the prefill worker's capacity. */
    private static final Duration LIGHT_THINK = Duration.ofMillis(400);
    private static final int HEAVY_CLIENTS = 11;
    /** Wall-clock time the gateway needs beyond the GPU's prefill: hops, scheduling on two shared cores. */
    private static final int OVERHEAD_MS = 100;

    static final List<String> MONITOR_OPTIONS = List.of(
            "-Dequilibria.monitor.poll-interval=" + POLL.toMillis() + "ms",
            "-Dequilibria.monitor.rate-window=3s",
            "-Dequilibria.monitor.calibration-prompt-tokens=" + PROMPT_TOKENS,
            "-Dequilibria.monitor.zero-load-overhead-ms=" + OVERHEAD_MS);

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The gateway's effective settings of one leg as observed at {@code atMs}. */
    private record Observed(long atMs, String policy, double overlapScoreWeight, double routerTemperature) {

        boolean matches(JsonNode published) {
            return policy.equals(published.path("policy").asString())
                    && overlapScoreWeight == published.path("overlap_score_weight").asDouble()
                    && routerTemperature == published.path("router_temperature").asDouble();
        }
    }

    @Test
    void aLoadPastTheKneeChangesTheRegimeAndTheGatewayFollowsWithinTwoPolls() throws Exception {
        Path root = repositoryRoot();
        int offset = freeOffset();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EQUILIBRIA_ADMIN_TOKEN");
        String inherited = env.getOrDefault(JavaCommand.ENV_SERVICE_OPTIONS, "");
        env.put(JavaCommand.ENV_SERVICE_OPTIONS, (inherited + " " + String.join(" ", MONITOR_OPTIONS)).trim());
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--detach", "--port-offset",
                Integer.toString(offset), "--home", home.toString(), "--prefill-workers", "1", "--decode-workers", "1",
                "--time-scale", TIME_SCALE}, env, root);
        PrintStream out = System.out;

        Fleet fleet = new Fleet(options, env, out);
        RunningFleet running = fleet.up(false);
        fleet.detach();
        Load light = null;
        Load heavy = null;
        GatewayWatch watch = null;
        try {
            String token = running.adminToken().value();
            Admin monitor = new Admin(running.service(ServiceSpec.MONITOR).baseUrl(), token);
            JsonNode thresholds = monitor.get("/admin/thresholds");
            out.println("Monitor thresholds: " + thresholds);
            assertThat(thresholds.path("basis").asString()).contains("at time scale " + TIME_SCALE);
            watch = new GatewayWatch(new Admin(running.gatewayUrl(), token));
            watch.start();

            light = new Load(running.gatewayUrl(), running.model(), 1, LIGHT_THINK, 1);
            light.start();
            // a fresh fleet's first requests are slow (JIT, connections) at almost no load: the monitor may enter a
            // regime on them, and must leave it again once the load has grown without the symptom
            monitor.await("requests recorded with the fleet BELOW the knee", Duration.ofSeconds(60),
                    "/api/snapshot", s -> s.path("sources").path("records_in_window").asInt() >= 3
                            && s.path("regime").path("regime").asString().equals("BELOW"));
            Thread.sleep(4 * POLL.toMillis());
            assertThat(regime(monitor)).as("regime under the light load").isEqualTo("BELOW");

            heavy = new Load(running.gatewayUrl(), running.model(), HEAVY_CLIENTS, Duration.ZERO, 100);
            long heavyFromMs = System.currentTimeMillis();
            heavy.start();
            JsonNode entered = awaitTransition(monitor, heavyFromMs, "BELOW", null, Duration.ofSeconds(40));
            out.println("Entered: " + entered);
            assertThat(entered.path("to").asString()).isIn("TRANSITION", "SATURATED");
            assertThat(entered.path("signals").isArray() && !entered.path("signals").isEmpty())
                    .as("the signal that fired, in %s", entered).isTrue();
            assertThat(entered.path("signals").toString()).containsAnyOf("TTFT_P99", "UTILISATION");
            JsonNode enteredSettings = entered.path("published");
            assertThat(enteredSettings.path("router_temperature").asDouble()).as("%s", entered).isPositive();
            assertGatewayFollows(watch, entered, out);

            heavy.stop();
            JsonNode left = awaitTransition(monitor, entered.path("timestamp_ms").asLong() + 1,
                    entered.path("to").asString(), "BELOW", Duration.ofSeconds(45));
            out.println("Left: " + left);
            assertThat(left.path("signals").toString()).contains("OFFERED_LOAD");
            assertThat(left.path("reason").asString()).contains("offered load");
            assertThat(left.path("published").path("router_temperature").asDouble()).isZero();
            assertThat(left.path("published").path("overlap_score_weight").asDouble()).isEqualTo(1.0);
            assertGatewayFollows(watch, left, out);

            out.printf(Locale.ROOT, "Requests: light %d (failed %d), heavy %d (failed %d)%n", light.done(),
                    light.failures(), heavy.done(), heavy.failures());
            // a rare refused worker connection is the gateway's fault handling, not this test's subject
            assertThat(light.failures() + heavy.failures()).as("failed requests")
                    .isLessThanOrEqualTo((light.done() + heavy.done()) / 20);
            out.println("Monitor history: " + monitor.get("/admin/regime").path("history"));
        } catch (AssertionError | RuntimeException e) {
            printLogTail(options.layout().log(ServiceSpec.MONITOR), 40);
            printLogTail(options.layout().log(ServiceSpec.GATEWAY), 20);
            throw e;
        } finally {
            if (watch != null) {
                watch.stop();
            }
            if (heavy != null) {
                heavy.stop();
            }
            if (light != null) {
                light.stop();
            }
            Fleet.down(options.layout(), out);
        }
    }

    /**
     * The gateway must run the transition's settings on both legs within two polls of the transition's timestamp
     * (the monitor's clock, which is this machine's).
     */
    private void assertGatewayFollows(GatewayWatch watch, JsonNode transition, PrintStream out) throws Exception {
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

    private static String regime(Admin monitor) throws Exception {
        return monitor.get("/admin/regime").path("status").path("regime").asString();
    }

    /** The first history entry at or after {@code sinceMs} from {@code from} (to {@code to}, if given), waiting. */
    private static JsonNode awaitTransition(Admin monitor, long sinceMs, String from, String to, Duration timeout)
            throws Exception {
        JsonNode state = monitor.await("a regime transition from " + from + (to == null ? "" : " to " + to), timeout,
                "/admin/regime", s -> find(s, sinceMs, from, to) != null);
        return find(state, sinceMs, from, to);
    }

    private static JsonNode find(JsonNode state, long sinceMs, String from, String to) {
        for (JsonNode e : state.path("history")) {
            if (e.path("timestamp_ms").asLong() >= sinceMs
                    && e.path("from").asString().equals(from) && !e.path("to").asString().equals(from)
                    && (to == null || e.path("to").asString().equals(to)) && !e.path("published").isNull()
                    && !e.path("published").isMissingNode()) {
                return e;
            }
        }
        return null;
    }

    /** Polls the gateway's {@code GET /admin/router-config} and keeps each change of the effective prefill leg. */
    private final class GatewayWatch {

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
                        // the override is fleet-wide: both legs must carry it, or the prefill view means nothing
                        boolean legsAgree = decode.path("policy").asString().equals(o.policy())
                                && decode.path("overlap_score_weight").asDouble() == o.overlapScoreWeight()
                                && decode.path("router_temperature").asDouble() == o.routerTemperature();
                        Observed last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
                        if (legsAgree && (last == null || !last.policy().equals(o.policy())
                                || last.overlapScoreWeight() != o.overlapScoreWeight()
                                || last.routerTemperature() != o.routerTemperature())) {
                            changes.add(o);
                        }
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
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

        List<Observed> around(long ms) {
            return changes.stream().filter(o -> Math.abs(o.atMs() - ms) < 30_000).toList();
        }
    }

    /** Closed-loop clients: each sends its next streamed completion when the last one ends (after a pause). */
    private final class Load {

        private final String gateway;
        private final String model;
        private final int clients;
        private final Duration think;
        private final long seed;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();

        Load(String gateway, String model, int clients, Duration think, long seed) {
            this.gateway = gateway;
            this.model = model;
            this.clients = clients;
            this.think = think;
            this.seed = seed;
        }

        void start() {
            for (int c = 0; c < clients; c++) {
                SplittableRandom random = new SplittableRandom(seed * 1000 + c);
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        request(random);
                        try {
                            Thread.sleep(think.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "load-" + seed + "-" + c);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** Stops sending; requests in flight finish. */
        void stop() {
            running.set(false);
        }

        int done() {
            return done.get();
        }

        int failures() {
            return failures.get();
        }

        private void request(SplittableRandom random) {
            StringBuilder prompt = new StringBuilder(PROMPT_TOKENS * 6);
            for (int i = 0; i < PROMPT_TOKENS; i++) {
                prompt.append(i == 0 ? "" : ",").append(1 + random.nextInt(50_000));
            }
            String body = "{\"model\":" + RunningFleet.jsonString(model) + ",\"prompt\":[" + prompt
                    + "],\"max_tokens\":" + MAX_TOKENS + ",\"stream\":true}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/completions"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    if (response.statusCode() != 200) {
                        failed("HTTP " + response.statusCode() + ": " + lines.readLine());
                        return;
                    }
                    boolean ended = false;
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        String data = line.startsWith("data:") ? line.substring("data:".length()).trim() : "";
                        if (data.startsWith("{\"error\"")) {
                            failed(data);
                            return;
                        }
                        ended |= data.equals("[DONE]");
                    }
                    if (!ended) {
                        failed("stream ended without [DONE]");
                        return;
                    }
                    done.incrementAndGet();
                }
            } catch (IOException e) {
                failed(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        private void failed(String why) {
            failures.incrementAndGet();
            System.out.println("request failed: " + why);
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

    private static void printLogTail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            System.out.println("--- last " + lines + " lines of " + log + " ---");
            all.stream().skip(Math.max(0, all.size() - lines)).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("cannot read " + log + ": " + e.getMessage());
        }
    }

    /** An offset away from the ones FleetIT (from 1000) and AllocatorFleetIT (from 3100) pick, all ports free. */
    private static int freeOffset() {
        for (int offset = 5200; offset < 40000; offset += 97) {
            int o = offset;
            boolean free = ServiceSpec.BASE_PORTS.values().stream().allMatch(p -> PortCheck.isFree(p + o))
                    && PortCheck.isFree(9092 + o) && PortCheck.isFree(9093 + o);
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset");
    }

    /** Set by the failsafe configuration; the module's parent folder when run from an IDE. */
    private static Path repositoryRoot() {
        String root = System.getProperty(FleetCommand.ROOT_PROPERTY);
        Path path = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        return path.toAbsolutePath().normalize();
    }
}
