package dev.equilibria.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.protocol.event.RouterSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.JsonNode;

/**
 * End to end over a real broker: a load that crosses the knee changes the regime and the router settings follow on
 * {@code router-config} within two polls; saturation that is a capacity problem goes to the allocator instead; when
 * the load falls the fleet goes back to cache affinity. The thresholds are the profile's calibrated ones, and the
 * stand-in gateway follows every override, as the real one does.
 */
// the same context as DashboardChromiumIT (keep the properties identical), so failsafe starts the monitor once
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "equilibria.admin.token=test-token",
        "equilibria.monitor.poll-interval=250ms",
        "equilibria.monitor.rate-window=2s",
        "equilibria.monitor.poa.window-requests=16"})
@EmbeddedKafka(partitions = 1)
class RegimeEndToEndIT {

    /** The poll interval set above. */
    static final long POLL_MS = 250;

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A record as the test saw it arrive, with its arrival time on this machine's clock. */
    private record Seen<T>(T event, long receivedMs) {
    }

    @Test
    void aLoadThatCrossesTheKneeSwitchesRoutingWithinTwoPollsAndCapacityGoesToTheAllocator() throws Exception {
        JsonNode thresholds = json(get("/admin/thresholds").body());
        double theta1 = thresholds.path("theta1_ms").asDouble();
        double theta2 = thresholds.path("theta2_ms").asDouble();
        assertThat(thresholds.path("basis").asString()).contains("engine profile");

        try (Consumer<String, String> configs = consumer(Topics.ROUTER_CONFIG);
             Consumer<String, String> alerts = consumer(Topics.CAPACITY_ALERTS);
             FleetTraffic fleet = new FleetTraffic(kafka,
                     new FleetTraffic.Phase("below", 20, 0.3 * theta1, false, 0, 4))) {
            List<Seen<RouterConfigOverride>> overrides = new ArrayList<>();
            List<Seen<CapacityAlert>> capacity = new ArrayList<>();

            // below the knee: cache affinity stays
            waitUntil(() -> json(get("/api/snapshot").body()).path("sources").path("records_in_window").asInt() > 10
                    && regime().equals("BELOW"));
            Thread.sleep(5 * POLL_MS);
            assertThat(regime()).isEqualTo("BELOW");

            // past the knee, herded onto one prefill worker: a routing problem
            fleet.set(new FleetTraffic.Phase("herd", 60, 1.5 * theta2, true, 12, FleetTraffic.MAX_NUM_SEQS));
            Seen<RouterConfigOverride> saturated = await(configs, RouterConfigOverride.class, overrides,
                    o -> RegimeRoutingTable.DEFAULT_SATURATED.policy().equals(o.policy()));
            // round_robin names no w or t: the gateway keeps the ones it had (the defaults)
            fleet.follow(new RouterSettings(saturated.event().policy(), 1.0, 0.0));

            JsonNode state = json(get("/admin/regime").body());
            JsonNode entered = lastEntry(state, e -> e.path("from").asString().equals("BELOW"));
            assertThat(entered.path("signals").toString()).contains("TTFT_P99");
            JsonNode switched = lastEntry(state, e -> e.path("published").path("policy").asString()
                    .equals(saturated.event().policy()));
            long transitionMs = switched.path("timestamp_ms").asLong();
            assertThat(saturated.receivedMs() - transitionMs)
                    .as("override on router-config within two polls of the transition")
                    .isLessThanOrEqualTo(2 * POLL_MS);
            // TRANSITION and SATURATED balance alike by default: the herd's first switch is the one published
            assertThat(RegimeRoutingTable.DEFAULT_TRANSITION).isEqualTo(RegimeRoutingTable.DEFAULT_SATURATED);
            assertThat(switched.path("reason").asString()).contains("imbalance");
            waitUntil(() -> regime().equals("SATURATED"));

            // every prefill worker full with the load spread evenly: a capacity problem, not a routing one
            fleet.set(new FleetTraffic.Phase("capacity", 60, 1.5 * theta2, false, 8, FleetTraffic.MAX_NUM_SEQS));
            int overridesBefore = overrides.size();
            Seen<CapacityAlert> raised = await(alerts, CapacityAlert.class, capacity,
                    a -> a.state().equals("raised") && a.pool().equals("prefill"));
            assertThat(raised.event().workersAtCap()).isEqualTo(2);
            assertThat(raised.event().reason()).contains("add capacity");
            assertThat(json(get("/admin/regime").body()).path("status").path("capacity_bound_pools").toString())
                    .contains("prefill");
            drain(configs, RouterConfigOverride.class, overrides);
            assertThat(overrides.subList(overridesBefore, overrides.size()))
                    .as("routing is left alone while the problem is capacity")
                    .allMatch(o -> o.event().reason().startsWith("current settings"));

            // the load falls: back to cache affinity, and the alert is cleared
            fleet.set(new FleetTraffic.Phase("quiet", 10, 0.3 * theta1, false, 0, 2));
            Seen<RouterConfigOverride> below = await(configs, RouterConfigOverride.class, overrides,
                    o -> o.routerTemperature() != null && o.routerTemperature() == 0.0
                            && !o.reason().startsWith("current settings"));
            fleet.follow(new RouterSettings(below.event().policy(), below.event().overlapScoreWeight(), 0.0));
            assertThat(below.event().overlapScoreWeight()).isEqualTo(1.0);
            assertThat(below.event().reason()).contains("offered load");
            await(alerts, CapacityAlert.class, capacity, a -> a.state().equals("cleared"));
            assertThat(regime()).isEqualTo("BELOW");

            String metrics = get("/actuator/prometheus").body();
            assertThat(metrics).contains("equilibria_monitor_regime_transitions_total{application=\"monitor-service\","
                    + "from=\"below\",signal=\"ttft_p99");
            assertThat(metrics).contains("equilibria_monitor_capacity_alerts_total{application=\"monitor-service\","
                    + "pool=\"prefill\",state=\"raised\"}");
            JsonNode snapshot = json(get("/api/snapshot").body());
            assertThat(snapshot.path("poa_hat").path("prefill").path("windows").asInt()).isPositive();
            assertThat(snapshot.path("point").path("imbalance_prefill").isNull()).isFalse();
        }
    }

    private String regime() throws Exception {
        return json(get("/admin/regime").body()).path("status").path("regime").asString();
    }

    private static JsonNode lastEntry(JsonNode state, Predicate<JsonNode> match) {
        JsonNode found = null;
        for (JsonNode e : state.path("history")) {
            if (match.test(e)) {
                found = e;
            }
        }
        assertThat(found).as("history entry in " + state.path("history")).isNotNull();
        return found;
    }

    private Consumer<String, String> consumer(String topic) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "it-" + topic + "-" + System.nanoTime(),
                false);
        props.put("auto.offset.reset", "earliest");
        Consumer<String, String> c = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
                new StringDeserializer()).createConsumer();
        c.subscribe(List.of(topic));
        // join the group now, so that later reads measure delivery and not the group's first rebalance, and read
        // only what this test causes (the context may have served another test before)
        long deadline = System.currentTimeMillis() + 15_000;
        while (c.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(100));
        }
        c.seekToEnd(c.assignment());
        c.assignment().forEach(c::position);
        return c;
    }

    private static <T> Seen<T> await(Consumer<String, String> consumer, Class<T> type, List<Seen<T>> seen,
                                     Predicate<T> match) {
        int from = seen.size();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            drainOnce(consumer, type, seen, Duration.ofMillis(20));
            for (int i = from; i < seen.size(); i++) {
                if (match.test(seen.get(i).event())) {
                    return seen.get(i);
                }
            }
            from = seen.size();
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within 30 s; saw "
                + seen.stream().map(Seen::event).toList());
    }

    private static <T> void drain(Consumer<String, String> consumer, Class<T> type, List<Seen<T>> seen) {
        drainOnce(consumer, type, seen, Duration.ofMillis(500));
    }

    private static <T> void drainOnce(Consumer<String, String> consumer, Class<T> type, List<Seen<T>> seen,
                                      Duration wait) {
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
            seen.add(new Seen<>(EventCodec.decode(r.value(), type), System.currentTimeMillis()));
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode json(String body) {
        return EventCodec.mapper().readTree(body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer test-token").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
