package dev.equilibria.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.e2e.WorkerProcess;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Load generator for the gateway's added latency: a gateway with a real broker in front of stub workers (a prefill
 * and a decode worker that speak the worker API and answer at once, so what is measured is the gateway), and an
 * open-loop generator that sends, in the same run and at the same rate, each request through the gateway
 * ({@code POST /v1/completions}) and straight to the workers (the prefill leg, then the decode leg with the
 * handoff: the two calls the gateway makes). {@code -Dequilibria.bench.workers=real} puts a real worker-runtime
 * worker (simulated GPU at 1000x) behind both paths instead. Latency is measured
 * from each request's scheduled send time, so a stall is not hidden. Reports p50/p90/p99/p99.9 of both and their
 * difference. The Kafka broker runs in its own JVM ({@link BenchmarkBroker}). Not part of the test run; one command
 * builds what it needs from this checkout and runs it:
 * <pre>
 * ./mvnw -o -pl gateway-service -am test -Dtest=GatewayOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dequilibria.bench=true [-Dequilibria.bench.rate=500 -Dequilibria.bench.seconds=20]
 * </pre>
 */
@EnabledIfSystemProperty(named = "equilibria.bench", matches = "true")
class GatewayOverheadBenchmark {

    private static final int PROMPT_TOKENS = 128;
    private static final int MAX_TOKENS = 8;
    /**
     * Long enough for the JIT: after 5-60 s the compiler threads still take up to a core of this 2-core machine and
     * the gateway saturates at 100-150 req/s; after 150 s (at half the rate) it serves 500 req/s.
     */
    private static final int DEFAULT_WARMUP_SECONDS = 150;
    /** Send the direct path with every n-th request only, to leave the machine's CPU to the gateway. */
    private static final int DIRECT_EVERY = Integer.getInteger("equilibria.bench.direct-every", 1);
    /** {@code both} (default), or one path alone for diagnosis: {@code gateway} or {@code direct}. */
    private static final String PATHS = System.getProperty("equilibria.bench.paths", "both");

    /** For setup calls. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The load itself: Reactor Netty's client costs far less CPU per request than the JDK's on a small machine. */
    private final reactor.netty.http.client.HttpClient load = reactor.netty.http.client.HttpClient.create(
                    reactor.netty.resources.ConnectionProvider.builder("bench").maxConnections(4096)
                            .pendingAcquireMaxCount(-1).build())
            .headers(h -> h.add("Content-Type", "application/json"))
            .responseTimeout(Duration.ofSeconds(30));

    @Test
    void addedLatencyAgainstCallingTheWorkerDirectly() throws Exception {
        int rate = Integer.getInteger("equilibria.bench.rate", 500);
        int seconds = Integer.getInteger("equilibria.bench.seconds", 20);
        int warmup = Integer.getInteger("equilibria.bench.warmup", DEFAULT_WARMUP_SECONDS);
        boolean real = "real".equals(System.getProperty("equilibria.bench.workers", "stub"));
        // the broker runs in its own JVM: its threads and GC must not be measured as the gateway's
        BenchmarkBroker broker = BenchmarkBroker.start();
        String bootstrap = broker.bootstrapServers();
        FakeWorkers stubs = null;
        NettyStubWorkers netty = null;
        HeartbeatPublisher heartbeats = null;
        ConfigurableApplicationContext worker = null;
        Target target;
        if (real) {
            worker = WorkerProcess.builder().run("--server.port=0",
                    "--spring.application.name=bench-worker",
                    "--springdoc.api-docs.enabled=false",
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--equilibria.worker.role=aggregated", "--equilibria.worker.count=1",
                    "--equilibria.worker.id-prefix=bench", "--equilibria.worker.time-scale="
                            + System.getProperty("equilibria.bench.time-scale", "1000"),
                    "--logging.level.root=WARN");
            target = new Target("http://127.0.0.1:" + port(worker), "bench-0", "bench-0");
        } else {
            // stub workers answer at once, so the comparison isolates what the gateway adds; FakeWorkers only
            // builds their heartbeats, the Netty stub serves them
            stubs = new FakeWorkers();
            netty = new NettyStubWorkers();
            heartbeats = new HeartbeatPublisher(bootstrap);
            String endpoint = netty.endpoint();
            for (FakeWorkers.Worker stub : List.of(stubs.add("bench-p0", WorkerRole.PREFILL, "bench",
                    FakeWorkers.Behavior.NORMAL), stubs.add("bench-d0", WorkerRole.DECODE, "bench",
                    FakeWorkers.Behavior.NORMAL))) {
                FakeWorkers fleet = stubs;
                heartbeats.start(stub.id(), () -> fleet.heartbeatWithMaxModelLen(stub, 4096, endpoint));
            }
            target = new Target(endpoint, "bench-p0", "bench-d0");
        }
        ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--equilibria.gateway.id=gw-bench", "--logging.level.root=WARN");
        try {
            String gatewayUrl = "http://127.0.0.1:" + port(gateway);
            await().atMost(Duration.ofSeconds(60)).until(() -> get(gatewayUrl + "/v1/models").contains("\"data\":[{"));
            String model = EventCodec.mapper().readTree(get(gatewayUrl + "/v1/models")).path("data").get(0)
                    .path("id").stringValue();

            int warmupRate = Integer.getInteger("equilibria.bench.warmup-rate", Math.max(1, rate / 2));
            System.out.printf(Locale.ROOT, "workers: %s; warm-up (JIT): %d s at %d req/s%n",
                    real ? "real (worker-runtime)" : "stubs", warmup, warmupRate);
            run(warmupRate, warmup, gatewayUrl, target, model);
            System.out.printf(Locale.ROOT, "measuring: %d s, gateway at %d req/s, direct at %d req/s%n", seconds,
                    rate, rate / DIRECT_EVERY);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            double brokerCpuBefore = broker.cpuSeconds();
            long wallBefore = System.nanoTime();
            Result result = run(rate, seconds, gatewayUrl, target, model);
            double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double brokerCpuSeconds = broker.cpuSeconds() - brokerCpuBefore;
            double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
            report(result);
            long requests = result.gateway().getTotalCount() + result.direct().getTotalCount();
            System.out.printf(Locale.ROOT, "process CPU: %.1f s over %.1f s (%.2f cores of %d); %.2f ms per request"
                            + " (stubs, load generator and gateway together)%n", cpuSeconds, wallSeconds,
                    cpuSeconds / wallSeconds, Runtime.getRuntime().availableProcessors(),
                    requests == 0 ? 0 : 1000 * cpuSeconds / requests);
            System.out.printf(Locale.ROOT, "broker process CPU: %.1f s (%.2f cores)%n", brokerCpuSeconds,
                    brokerCpuSeconds / wallSeconds);
            assertThat(result.errors().get()).isZero();
        } finally {
            gateway.close();
            if (worker != null) {
                worker.close();
            }
            if (heartbeats != null) {
                heartbeats.close();
            }
            if (stubs != null) {
                stubs.close();
            }
            if (netty != null) {
                netty.close();
            }
            broker.close();
        }
    }

    private Result run(int rate, int seconds, String gatewayUrl, Target target, String model) throws Exception {
        Result result = new Result(new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3),
                new AtomicInteger());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000;
        int total = rate * seconds;
        SplittableRandom random = new SplittableRandom(7);
        AtomicInteger sent = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            // catch up on every request whose scheduled time has come: open loop, no coordinated omission
            long now = System.nanoTime();
            while (sent.get() < total && start + sent.get() * periodNanos <= now) {
                int i = sent.getAndIncrement();
                long scheduled = start + i * periodNanos;
                int[] prompt = random.ints(PROMPT_TOKENS, 0, 100_000).toArray();
                if (!PATHS.equals("direct")) {
                    pending.add(viaGateway(gatewayUrl, model, prompt).whenComplete((ok, error) ->
                            record(result.gateway(), scheduled, ok, error, result)));
                }
                if (!PATHS.equals("gateway") && i % DIRECT_EVERY == 0) {
                    pending.add(direct(target, "direct-" + i + "-" + now, prompt).whenComplete(
                            (ok, error) -> record(result.direct(), scheduled, ok, error, result)));
                }
            }
        }, 0, Math.min(1_000_000, Math.max(100_000, periodNanos / 4)), TimeUnit.NANOSECONDS);
        await().atMost(Duration.ofSeconds(seconds + 60)).pollInterval(Duration.ofMillis(100))
                .until(() -> sent.get() >= total);
        ticker.shutdownNow();
        for (CompletableFuture<?> f : pending) {
            f.handle((ok, error) -> null).get(60, TimeUnit.SECONDS);
        }
        return result;
    }

    private static void record(Histogram histogram, long scheduled, Object ok, Throwable error, Result result) {
        if (error != null || Boolean.FALSE.equals(ok)) {
            if (result.errors().incrementAndGet() <= 5) {
                System.out.println("failed: " + (error != null ? error : "unexpected answer"));
            }
            return;
        }
        synchronized (histogram) {
            histogram.recordValue(Math.max(0, System.nanoTime() - scheduled));
        }
    }

    private CompletableFuture<Boolean> viaGateway(String url, String model, int[] prompt) {
        String body = "{\"model\": \"" + model + "\", \"prompt\": " + Arrays.toString(prompt) + ", \"max_tokens\": "
                + MAX_TOKENS + "}";
        return post(url + "/v1/completions", body).thenApply(r -> {
            boolean ok = r.status() == 200
                    && json(r.body()).path("usage").path("completion_tokens").intValue() == MAX_TOKENS;
            if (!ok) {
                System.out.println("gateway answered " + r.status() + ": " + r.body());
            }
            return ok;
        });
    }

    /** The two legs the gateway would make, made by the client itself. */
    private CompletableFuture<Boolean> direct(Target target, String requestId, int[] prompt) {
        PrefillRequest prefill = new PrefillRequest(requestId, prompt, MAX_TOKENS);
        return post(target.workers() + "/workers/" + target.prefillWorker() + "/prefill", EventCodec.encode(prefill))
                .thenCompose(r -> {
                    PrefillResult result = EventCodec.decode(r.body(), PrefillResult.class);
                    DecodeRequest decode = new DecodeRequest(requestId, prompt, new int[] {result.firstTokenId()},
                            MAX_TOKENS, new int[0], result.handoff());
                    return post(target.workers() + "/workers/" + target.decodeWorker() + "/decode",
                            EventCodec.encode(decode));
                }).thenApply(r -> r.status() == 200 && r.body().contains("\"finish_reason\":\"length\""));
    }

    private static void report(Result result) {
        System.out.println("latency (ms)      p50      p90      p99    p99.9   count");
        line("gateway", result.gateway());
        line("direct", result.direct());
        System.out.printf(Locale.ROOT, "%-12s %8.3f %8.3f %8.3f %8.3f%n", "added",
                ms(result.gateway(), 50) - ms(result.direct(), 50), ms(result.gateway(), 90) - ms(result.direct(), 90),
                ms(result.gateway(), 99) - ms(result.direct(), 99),
                ms(result.gateway(), 99.9) - ms(result.direct(), 99.9));
        System.out.println("errors: " + result.errors().get());
    }

    private static void line(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "%-12s %8.3f %8.3f %8.3f %8.3f %7d%n", name, ms(h, 50), ms(h, 90), ms(h, 99),
                ms(h, 99.9), h.getTotalCount());
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private CompletableFuture<Answer> post(String url, String body) {
        return load.post().uri(url).send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), text)))
                .toFuture();
    }

    private record Answer(int status, String body) {
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private record Result(Histogram gateway, Histogram direct, AtomicInteger errors) {
    }

    /** Where the direct path sends its two legs. */
    private record Target(String workers, String prefillWorker, String decodeWorker) {
    }

}
