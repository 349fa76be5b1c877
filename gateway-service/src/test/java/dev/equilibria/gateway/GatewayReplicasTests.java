package dev.equilibria.gateway;

import static dev.equilibria.gateway.FakeWorkers.Behavior.HOLDS;
import static dev.equilibria.gateway.FakeWorkers.Behavior.NORMAL;
import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.PeerView;
import dev.equilibria.routing.ledger.WorkerLoad;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Two gateway replicas over one broker and one fleet, as production runs them behind a load balancer: each sees the
 * other's in-flight load through the shared ledger, quickly, so under one load they spread requests instead of
 * herding onto the worker that looks idle to each of them alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayReplicasTests {

    private EmbeddedKafkaBroker broker;
    private FakeWorkers workers;
    private HeartbeatPublisher heartbeats;
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 8).brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        workers = new FakeWorkers();
        heartbeats = new HeartbeatPublisher(broker.getBrokersAsString());
        worker("herd-p0", PREFILL, NORMAL);
        worker("herd-d0", DECODE, HOLDS);
        worker("herd-d1", DECODE, HOLDS);
        a = replica("gw-a");
        b = replica("gw-b");
        for (ConfigurableApplicationContext replica : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> get(replica, "/v1/models").contains("\"herd\""));
        }
        // both replicas hear each other before the load starts
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger(a).peers().size() == 1
                && ledger(b).peers().size() == 1);
    }

    @AfterAll
    void stop() throws Exception {
        for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
        heartbeats.close();
        workers.close();
        broker.destroy();
    }

    @Test
    void eachReplicaSeesTheOthersInFlightLoadWithinAFractionOfASecondAndStalenessIsAMetric() throws Exception {
        holdDecodes();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        try {
            held.add(completeAsync(a));
            await().atMost(Duration.ofSeconds(10)).until(() -> decodeLoad(ledger(a)) > 0);
            long seenByA = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> decodeLoad(ledger(b)) == decodeLoad(ledger(a)));
            long lagMillis = (System.nanoTime() - seenByA) / 1_000_000;
            System.out.println("replica B saw replica A's dispatch after " + lagMillis + " ms");
            assertThat(lagMillis).as("propagation through the shared ledger").isLessThan(1000);

            PeerView peer = ledger(b).peers().get(0);
            assertThat(peer.gatewayId()).isEqualTo("gw-a");
            assertThat(peer.staleness()).isLessThan(Duration.ofSeconds(1));
            MeterRegistry metersB = b.getBean(MeterRegistry.class);
            assertThat(metersB.get(RoutingMetrics.LEDGER_STALENESS).tag("peer", "gw-a").gauge().value())
                    .isLessThan(1.0);
            assertThat(metersB.get(RoutingMetrics.LEDGER_PROPAGATION).timer().count()).isPositive();
        } finally {
            workers.release("herd-d0");
            workers.release("herd-d1");
        }
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger(a).snapshot().isEmpty()
                && ledger(b).snapshot().isEmpty());
    }

    @Test
    void underOneLoadSpreadAcrossBothReplicasTheyDoNotHerd() throws Exception {
        holdDecodes();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        long before0 = workers.callsTo("herd-d0");
        long before1 = workers.callsTo("herd-d1");
        try {
            for (int i = 0; i < 6; i++) {
                ConfigurableApplicationContext replica = i % 2 == 0 ? a : b;
                ConfigurableApplicationContext other = i % 2 == 0 ? b : a;
                int streamsBefore = workers.streaming();
                held.add(completeAsync(replica));
                await().atMost(Duration.ofSeconds(10)).until(() -> workers.streaming() == streamsBefore + 1);
                // the load balancer's next request goes to the other replica once it has heard of this one
                await().atMost(Duration.ofSeconds(5)).until(() -> decodeLoad(ledger(other))
                        == decodeLoad(ledger(replica)));
            }
            long to0 = workers.callsTo("herd-d0") - before0;
            long to1 = workers.callsTo("herd-d1") - before1;
            System.out.println("decode legs: herd-d0 " + to0 + ", herd-d1 " + to1);
            assertThat(to0).as("least_loaded over the fleet-wide ledger alternates the workers").isEqualTo(3);
            assertThat(to1).isEqualTo(3);
        } finally {
            workers.release("herd-d0");
            workers.release("herd-d1");
        }
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
    }

    private void holdDecodes() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.streaming() == 0);
        workers.hold("herd-d0");
        workers.hold("herd-d1");
    }

    private long decodeLoad(LoadLedger ledger) {
        long sum = 0;
        for (Map.Entry<String, WorkerLoad> e : ledger.snapshot().entrySet()) {
            sum += e.getValue().decodeBlocks() * 1000 + e.getValue().requests();
        }
        return sum;
    }

    private ConfigurableApplicationContext replica(String id) {
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--equilibria.gateway.id=" + id,
                "--equilibria.gateway.router.policy=least_loaded",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN");
    }

    private static LoadLedger ledger(ConfigurableApplicationContext replica) {
        return replica.getBean(LoadLedger.class);
    }

    private void worker(String id, WorkerRole role, FakeWorkers.Behavior behavior) {
        FakeWorkers.Worker worker = workers.add(id, role, "herd", behavior);
        heartbeats.start(id, () -> workers.heartbeat(worker));
    }

    private CompletableFuture<HttpResponse<String>> completeAsync(ConfigurableApplicationContext replica) {
        return http.sendAsync(HttpRequest.newBuilder(uri(replica, "/v1/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"herd\", \"prompt\": \"hello there\","
                        + " \"max_tokens\": 4}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(ConfigurableApplicationContext replica, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(replica, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static URI uri(ConfigurableApplicationContext replica, String path) {
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
