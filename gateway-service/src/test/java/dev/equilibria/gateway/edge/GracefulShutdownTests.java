package dev.equilibria.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.equilibria.e2e.ChildJvm;
import dev.equilibria.e2e.WorkerProcess;
import dev.equilibria.gateway.GatewayApplication;
import dev.equilibria.protocol.event.EventCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * SIGTERM on real processes: two workers (aggregated, so each serves both legs) and a gateway, each its own JVM, on a
 * real broker. A worker stopped mid-stream finishes the sequence (the client's stream completes whole), refuses new
 * legs meanwhile (the gateway places them on the other worker) and exits within the shutdown deadline; a gateway
 * stopped mid-stream finishes the open stream, refuses new connections (so a load balancer retries elsewhere) and
 * exits within the deadline.
 */
@EmbeddedKafka(count = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
class GracefulShutdownTests {

    static final String ADMIN_TOKEN = "shutdown-test-admin-token";
    /** spring.lifecycle.timeout-per-shutdown-phase of every child. */
    static final Duration DRAIN_DEADLINE = Duration.ofSeconds(15);
    /** Drain deadline plus the JVM's own exit (Kafka clients closing). */
    static final Duration EXIT_DEADLINE = DRAIN_DEADLINE.plusSeconds(15);
    /** Long enough that the stream is still running when the signal arrives (seconds at real-time speed). */
    static final int MAX_TOKENS = 300;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void workersAndTheGatewayDrainInFlightStreamsOnSigterm(EmbeddedKafkaBroker broker) throws Exception {
        String brokers = broker.getBrokersAsString();
        List<ChildJvm> children = new ArrayList<>();
        try {
            // aggregated workers serve both legs: two worker JVMs instead of three on a small machine
            ChildJvm workerA = worker(children, brokers, "aggregated", "gs-worker-a");
            ChildJvm workerB = worker(children, brokers, "aggregated", "gs-worker-b");
            ChildJvm gateway = ChildJvm.start("gateway", GatewayApplication.class, List.of(
                    "--spring.kafka.bootstrap-servers=" + brokers,
                    "--equilibria.admin.token=" + ADMIN_TOKEN,
                    "--equilibria.gateway.router.policy=round_robin",
                    "--spring.lifecycle.timeout-per-shutdown-phase=" + DRAIN_DEADLINE.toSeconds() + "s",
                    "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN"));
            children.add(gateway);
            // generous: three JVMs start at once, on whatever CPU the build machine has left
            await().atMost(Duration.ofSeconds(420)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> liveWorkers(gateway) == 2);
            String model = json(get(gateway, "/v1/models").body()).path("data").get(0).path("id").stringValue();

            // 1. SIGTERM the worker that serves an open stream
            Stream first = Stream.open(http, gateway.port(), model);
            first.awaitTokens(5);
            String serving = workerWithLoad(gateway);
            ChildJvm victim = serving.startsWith("gs-worker-a") ? workerA : workerB;
            ChildJvm survivor = victim == workerA ? workerB : workerA;
            long signalled = System.nanoTime();
            victim.terminate();
            // while it drains, new requests go to the other worker
            HttpResponse<String> during = complete(gateway, model);
            assertThat(during.statusCode()).as(during.body()).isEqualTo(200);
            first.assertCompleteAndWhole();
            assertThat(victim.awaitExit(EXIT_DEADLINE)).as("the worker exits; log " + victim.log()).isTrue();
            System.out.printf("worker: stream finished, exited %d ms after SIGTERM (code %d)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled), victim.process().exitValue());
            assertThat(Files.readString(victim.log())).contains("every hosted worker drained");

            // 2. SIGTERM the gateway with an open stream
            Stream second = Stream.open(http, gateway.port(), model);
            second.awaitTokens(5);
            signalled = System.nanoTime();
            gateway.terminate();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> {
                try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                    socket.getOutputStream().write(1);
                }
            }).isInstanceOf(ConnectException.class));
            second.assertCompleteAndWhole();
            assertThat(gateway.awaitExit(EXIT_DEADLINE)).as("the gateway exits; log " + gateway.log()).isTrue();
            System.out.printf("gateway: stream finished, exited %d ms after SIGTERM (code %d)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled), gateway.process().exitValue());
            assertThat(survivor.process().isAlive()).isTrue();
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    /** An SSE completion read line by line in the background. */
    private static final class Stream {
        private final List<String> liveEvents = new CopyOnWriteArrayList<>();
        private CompletableFuture<Void> done;

        static Stream open(HttpClient http, int port, String model) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": \"Tell a long"
                            + " story\", \"max_tokens\": " + MAX_TOKENS + ", \"stream\": true,"
                            + " \"stream_options\": {\"include_usage\": true}}")).build();
            Stream stream = new Stream();
            stream.done = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
                assertThat(response.statusCode()).isEqualTo(200);
                response.body().filter(line -> line.startsWith("data: "))
                        .forEach(line -> stream.liveEvents.add(line.substring(6)));
            });
            return stream;
        }

        void awaitTokens(int count) {
            await().atMost(Duration.ofSeconds(60)).until(() -> liveEvents.size() >= count || done.isDone());
            assertThat(done.isDone()).as("the stream is still running when the signal is sent").isFalse();
        }

        void assertCompleteAndWhole() throws Exception {
            done.get(90, TimeUnit.SECONDS);
            List<String> events = liveEvents;
            assertThat(events).isNotEmpty();
            assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
            assertThat(events).noneMatch(event -> event.contains("\"error\""));
            JsonNode usage = json(events.get(events.size() - 2)).path("usage");
            assertThat(usage.path("completion_tokens").intValue()).isEqualTo(MAX_TOKENS);
            long finished = events.stream().filter(e -> e.contains("\"finish_reason\":\"length\"")).count();
            assertThat(finished).isEqualTo(1);
        }
    }

    private static ChildJvm worker(List<ChildJvm> children, String brokers, String role, String prefix)
            throws IOException {
        ChildJvm child = ChildJvm.start(prefix, WorkerProcess.class, List.of(
                "--spring.application.name=" + prefix,
                "--springdoc.api-docs.enabled=false",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--equilibria.worker.role=" + role,
                "--equilibria.worker.count=1",
                "--equilibria.worker.id-prefix=" + prefix,
                "--equilibria.worker.heartbeat-interval=200ms",
                "--spring.lifecycle.timeout-per-shutdown-phase=" + DRAIN_DEADLINE.toSeconds() + "s",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN"));
        children.add(child);
        return child;
    }

    private int liveWorkers(ChildJvm gateway) {
        try {
            return json(admin(gateway, "/admin/workers").body()).size();
        } catch (Exception notYet) {
            return 0;
        }
    }

    private String workerWithLoad(ChildJvm gateway) throws Exception {
        JsonNode workers = json(admin(gateway, "/admin/workers").body());
        return StreamSupport.stream(workers.spliterator(), false)
                .filter(w -> w.path("local_load").path("requests").asInt() > 0)
                .map(w -> w.path("worker_id").stringValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no worker has the stream: " + workers));
    }

    private HttpResponse<String> complete(ChildJvm gateway, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": \"hi\","
                        + " \"max_tokens\": 3}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ChildJvm gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(ChildJvm gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET()
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String text) {
        return EventCodec.mapper().readTree(text);
    }
}
