package dev.equilibria.monitor.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextParserTest {

    private final PrometheusTextParser parser = new PrometheusTextParser();

    @Test
    void readsHelpTypeLabelsSpecialValuesTimestampsAndHistograms() {
        String text = """
                # HELP equilibria_gateway_ttft_seconds Time to first token: request accepted until \\n first token
                # TYPE equilibria_gateway_ttft_seconds histogram
                equilibria_gateway_ttft_seconds_bucket{application="gateway-service",le="0.05"} 3.0
                equilibria_gateway_ttft_seconds_bucket{application="gateway-service",le="0.1"} 7.0
                equilibria_gateway_ttft_seconds_bucket{application="gateway-service",le="+Inf"} 10.0
                equilibria_gateway_ttft_seconds_sum{application="gateway-service"} 0.95
                equilibria_gateway_ttft_seconds_count{application="gateway-service"} 10.0
                # a comment that is neither HELP nor TYPE

                # TYPE odd gauge
                odd{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb",} NaN 1700000000000
                odd{ path = "x" } -Inf
                plain 42
                up +Inf\r
                """;

        Exposition e = parser.parse(text);

        assertThat(e.types()).containsEntry("equilibria_gateway_ttft_seconds", "histogram")
                .containsEntry("odd", "gauge");
        assertThat(e.help().get("equilibria_gateway_ttft_seconds")).contains("request accepted until \n first token");
        assertThat(e.samples("equilibria_gateway_ttft_seconds_bucket")).hasSize(3);
        assertThat(e.samples("equilibria_gateway_ttft_seconds_bucket").get(2).label("le")).isEqualTo("+Inf");
        assertThat(e.sum("equilibria_gateway_ttft_seconds_count")).isEqualTo(10.0);
        MetricSample odd = e.samples("odd").get(0);
        assertThat(odd.labels()).isEqualTo(Map.of("path", "C:\\dir", "quote", "say \"hi\"", "nl", "a\nb"));
        assertThat(odd.value()).isNaN();
        assertThat(odd.timestampMs()).isEqualTo(1_700_000_000_000L);
        assertThat(e.samples("odd").get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(e.samples("odd").get(1).label("path")).isEqualTo("x");
        assertThat(e.sum("plain")).isEqualTo(42);
        assertThat(e.sum("up")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(e.sum("absent")).isNaN();
    }

    @Test
    void readsWhatMicrometerWrites() {
        String text = """
                # HELP equilibria_gateway_requests_total Completion requests, by how they ended
                # TYPE equilibria_gateway_requests_total counter
                equilibria_gateway_requests_total{application="gateway-service",outcome="success"} 120.0
                equilibria_gateway_requests_total{application="gateway-service",outcome="error"} 3.0
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2582912E7
                """;

        Exposition e = parser.parse(text);

        assertThat(e.sum("equilibria_gateway_requests_total")).isEqualTo(123.0);
        assertThat(e.sum("equilibria_gateway_requests_total", s -> "success".equals(s.label("outcome"))))
                .isEqualTo(120.0);
        assertThat(e.sum("jvm_memory_used_bytes")).isEqualTo(1.2582912E7);
    }

    @Test
    void refusesMalformedLinesNamingTheLine() {
        assertThatThrownBy(() -> parser.parse("ok 1\nbroken{le=\"1\" 2\n"))
                .isInstanceOf(PrometheusFormatException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> parser.parse("no_value\n")).hasMessageContaining("has no value");
        assertThatThrownBy(() -> parser.parse("x{a=\"b\\q\"} 1\n")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> parser.parse("x 1 notatime\n")).hasMessageContaining("bad timestamp");
        assertThatThrownBy(() -> parser.parse("x abc\n")).hasMessageContaining("bad value");
    }

    @Test
    void histogramQuantileInterpolatesLikePromQl() {
        Map<Double, Double> buckets = Map.of(0.1, 50.0, 0.2, 90.0, 0.5, 99.0, 1.0, 100.0,
                Double.POSITIVE_INFINITY, 100.0);

        assertThat(HistogramQuantile.of(buckets, 0.5)).isEqualTo(0.1);
        assertThat(HistogramQuantile.of(buckets, 0.7)).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(HistogramQuantile.of(buckets, 0.99)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(HistogramQuantile.of(Map.of(0.1, 0.0, Double.POSITIVE_INFINITY, 0.0), 0.99)).isNaN();
        // a rank in the +Inf bucket reads as the highest finite bound
        assertThat(HistogramQuantile.of(Map.of(0.1, 1.0, Double.POSITIVE_INFINITY, 10.0), 0.99)).isEqualTo(0.1);
    }
}
