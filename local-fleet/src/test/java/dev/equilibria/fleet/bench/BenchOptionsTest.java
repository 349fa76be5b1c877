package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsArePaperWorkloadClosedLoopAndTwoHundredRequests() {
        BenchOptions o = BenchOptions.parse(new String[0], Map.of());

        assertThat(o.workload()).isEqualTo(BenchOptions.Workload.PAPER);
        assertThat(o.closedLoop()).isTrue();
        assertThat(o.clients()).isEqualTo(BenchOptions.DEFAULT_CONCURRENCY);
        assertThat(o.requests()).isEqualTo(BenchOptions.DEFAULT_REQUESTS);
        assertThat(o.duration()).isEmpty();
        assertThat(o.url()).isEmpty();
    }

    @Test
    void aDurationAloneLiftsTheRequestLimitAndTracesAreOpenLoopUnlessAConcurrencyIsGiven() {
        BenchOptions o = BenchOptions.parse(new String[] {"--workload", "mooncake", "--duration", "90s",
                "--speedup=4", "--url", "http://h:1/"}, Map.of());

        assertThat(o.requests()).isEqualTo(Integer.MAX_VALUE);
        assertThat(o.duration()).contains(Duration.ofSeconds(90));
        assertThat(o.closedLoop()).isFalse();
        assertThat(o.speedup()).isEqualTo(4.0);
        assertThat(o.url()).contains("http://h:1");
        assertThat(BenchOptions.parse(new String[] {"--workload", "azure", "--concurrency", "8"}, Map.of()).closedLoop())
                .isTrue();
    }

    @Test
    void durationsTakeUnits() {
        assertThat(BenchOptions.parseDuration("d", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(BenchOptions.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchOptions.parseDuration("d", "1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> BenchOptions.parseDuration("--duration", "soon"))
                .hasMessageContaining("--duration must be a duration");
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--concurrency", "0"}, Map.of()))
                .hasMessageContaining("--concurrency");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--workload", "zipf"}, Map.of()))
                .hasMessageContaining("--workload");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--trace", "x.jsonl"}, Map.of()))
                .hasMessageContaining("--trace needs --workload mooncake or azure");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rate"}, Map.of()))
                .hasMessageContaining("--rate needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--bogus", "1"}, Map.of()))
                .hasMessageContaining("unknown option '--bogus'");
    }

    @Test
    void theApiKeyAndAdminTokenComeFromTheEnvironmentUnlessGiven() {
        BenchOptions o = BenchOptions.parse(new String[] {"--api-key", "k2"},
                Map.of("EQUILIBRIA_API_KEY", "k1", "EQUILIBRIA_ADMIN_TOKEN", "t1"));

        assertThat(o.apiKey()).contains("k2");
        assertThat(o.adminToken()).contains("t1");
    }
}
