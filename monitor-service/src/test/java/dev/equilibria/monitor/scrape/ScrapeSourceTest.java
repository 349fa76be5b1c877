package dev.equilibria.monitor.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScrapeSourceTest {

    private static String gateway(double fast, double slow, double requests, double inFlight) {
        return """
                # TYPE equilibria_gateway_ttft_seconds histogram
                equilibria_gateway_ttft_seconds_bucket{application="gateway-service",le="0.1"} %s
                equilibria_gateway_ttft_seconds_bucket{application="gateway-service",le="1.0"} %s
                equilibria_gateway_ttft_seconds_bucket{application="gateway-service",le="+Inf"} %s
                equilibria_gateway_requests_total{application="gateway-service",outcome="success"} %s
                equilibria_gateway_requests_in_flight{application="gateway-service"} %s
                """.formatted(fast, fast + slow, fast + slow, requests, inFlight);
    }

    @Test
    void derivesTheWindowsTtftQuantilesAndRateFromTheDifferenceBetweenScrapes() throws Exception {
        AtomicInteger scrape = new AtomicInteger();
        try (FakeHttpServer server = new FakeHttpServer(uri -> scrape.getAndIncrement() == 0
                ? gateway(100, 0, 100, 0) : gateway(100, 100, 200, 7))) {
            ScrapeSource source = new ScrapeSource(List.of(server.uri("/actuator/prometheus")), List::of,
                    Duration.ofSeconds(2), GatewayMetricNames.defaults());

            FleetMetrics first = source.read(10_000);
            FleetMetrics second = source.read(12_000);

            assertThat(first.targetsUp()).isEqualTo(1);
            assertThat(first.ttftP99Ms()).isNaN(); // no window yet
            assertThat(first.requestsInFlight()).isEqualTo(0);
            // between the scrapes all 100 new requests fell in (0.1, 1.0]: the window's quantiles sit there
            assertThat(second.ttftP50Ms()).isCloseTo(550, within(1e-6));
            assertThat(second.ttftP99Ms()).isCloseTo(991, within(1e-6));
            assertThat(second.requestsPerSecond()).isCloseTo(50, within(1e-9));
            assertThat(second.requestsInFlight()).isEqualTo(7);
            assertThat(server.requests).allMatch(u -> u.getPath().equals("/actuator/prometheus"));
        }
    }

    @Test
    void aTargetThatIsDownIsCountedAndTheOthersStillRead() throws Exception {
        try (FakeHttpServer server = new FakeHttpServer(uri -> gateway(1, 0, 1, 3))) {
            ScrapeSource source = new ScrapeSource(List.of(server.uri("/actuator/prometheus"),
                    URI.create("http://127.0.0.1:1/actuator/prometheus")),
                    () -> List.of(server.uri("/actuator/prometheus")), Duration.ofMillis(500),
                    GatewayMetricNames.defaults());

            FleetMetrics m = source.read(1_000);

            assertThat(source.targets()).hasSize(2); // the discovered duplicate is dropped
            assertThat(m.targets()).isEqualTo(2);
            assertThat(m.targetsUp()).isEqualTo(1);
            assertThat(m.error()).contains("127.0.0.1:1");
            assertThat(m.requestsInFlight()).isEqualTo(3);
        }
    }

    @Test
    void queriesAPrometheusServerWithInstantQueries() throws Exception {
        try (FakeHttpServer server = new FakeHttpServer(uri -> {
            String q = uri.getQuery();
            String value = q.contains("0.99") ? "0.8" : q.contains("0.5") ? "0.2" : q.contains("in_flight") ? "12"
                    : "30";
            return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                    + "\"value\":[1700000000.0,\"" + value + "\"]}]}}";
        })) {
            PrometheusApiSource source = new PrometheusApiSource(server.uri("/"), Duration.ofSeconds(2),
                    Duration.ofSeconds(10), GatewayMetricNames.defaults());

            FleetMetrics m = source.read(0);

            assertThat(m.ttftP99Ms()).isCloseTo(800, within(1e-9));
            assertThat(m.ttftP50Ms()).isCloseTo(200, within(1e-9));
            assertThat(m.requestsInFlight()).isEqualTo(12);
            assertThat(m.requestsPerSecond()).isEqualTo(30);
            assertThat(m.targetsUp()).isEqualTo(4);
            assertThat(server.requests).allMatch(u -> u.getPath().equals("/api/v1/query"));
            assertThat(source.queries().get("ttft_p99"))
                    .isEqualTo("histogram_quantile(0.99, sum by (le) "
                            + "(rate(equilibria_gateway_ttft_seconds_bucket[10s])))");
        }
    }

    @Test
    void readsEmptyAndFailedPrometheusResults() {
        assertThat(PrometheusApiSource.parseResult(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")).isNaN();
        assertThat(PrometheusApiSource.parseResult(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"NaN\"]}]}}"))
                .isNaN();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusApiSource.parseResult(
                "{\"status\":\"error\",\"error\":\"parse error\"}")).hasMessageContaining("parse error");
    }
}
