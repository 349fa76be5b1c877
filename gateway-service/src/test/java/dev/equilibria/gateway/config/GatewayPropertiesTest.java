package dev.equilibria.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.routing.config.RouterConfigLayers;
import dev.equilibria.routing.config.ResolvedRouterConfig;
import dev.equilibria.routing.orchestration.OrchestrationMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayPropertiesTest {

    @Test
    void missingValuesTakeTheNamedDefaults() {
        GatewayProperties defaults = GatewayProperties.defaults();

        assertThat(defaults.id()).startsWith("gw-");
        assertThat(defaults.heartbeatTtl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.blockSize()).isEqualTo(64);
        assertThat(defaults.requestTimeout()).isEqualTo(GatewayProperties.DEFAULT_REQUEST_TIMEOUT);
        assertThat(defaults.tokenizerEncoding()).isEqualTo("cl100k_base");
        assertThat(defaults.workerConnectTimeout()).isEqualTo(GatewayProperties.DEFAULT_WORKER_CONNECT_TIMEOUT);
        assertThat(defaults.kvIndex().mode()).isEqualTo("events");
        assertThat(defaults.ledger().publishInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(defaults.ledger().keepaliveInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(defaults.admission().enabled()).isTrue();
        assertThat(defaults.admission().queueCapacity()).isEqualTo(256);

        ResolvedRouterConfig router = RouterConfigLayers.resolve(List.of(defaults.router().toConfig()));
        assertThat(router.prefill().policy()).isEqualTo("kv");
        assertThat(router.prefill().overlapScoreWeight()).isEqualTo(1.0);
        assertThat(router.prefill().routerTemperature()).isEqualTo(0.0);
        assertThat(router.orchestration()).isEqualTo(OrchestrationMode.PREFILL_FIRST);
    }

    @Test
    void twoReplicasGetDifferentIds() {
        assertThat(GatewayProperties.defaults().id()).isNotEqualTo(GatewayProperties.defaults().id());
    }

    @Test
    void invalidValuesNameTheProperty() {
        assertThatThrownBy(() -> properties(Duration.ZERO, null, null, null, null))
                .hasMessageContaining("equilibria.gateway.heartbeat-ttl");
        assertThatThrownBy(() -> properties(null, 48, null, null, null))
                .hasMessageContaining("equilibria.gateway.block-size");
        assertThatThrownBy(() -> properties(null, null, Duration.ofSeconds(-1), null, null))
                .hasMessageContaining("equilibria.gateway.request-timeout");
        assertThatThrownBy(() -> properties(null, null, null, "nope", null))
                .hasMessageContaining("equilibria.gateway.tokenizer-encoding").hasMessageContaining("cl100k_base");
        assertThatThrownBy(() -> properties(null, null, null, null, router("fastest", null, null)))
                .hasMessageContaining("equilibria.gateway.router.policy").hasMessageContaining("round_robin");
        assertThatThrownBy(() -> properties(null, null, null, null, router(null, -1.0, null)))
                .hasMessageContaining("equilibria.gateway.router.overlap-score-weight");
        assertThatThrownBy(() -> properties(null, null, null, null, router(null, null, "sideways")))
                .hasMessageContaining("equilibria.gateway.router.orchestration");
        assertThatThrownBy(() -> new GatewayProperties.KvIndexSettings("guess", null, null))
                .hasMessageContaining("equilibria.gateway.kv-index.mode");
        assertThatThrownBy(() -> new GatewayProperties.Admission(null, -1, null, null, null, null))
                .hasMessageContaining("equilibria.gateway.admission.queue-capacity");
        assertThatThrownBy(() -> new GatewayProperties.Ledger(Duration.ZERO, null, null))
                .hasMessageContaining("equilibria.gateway.ledger.publish-interval");
    }

    @Test
    void legSettingsOverrideTheSharedOnesForOneLeg() {
        GatewayProperties.Router router = new GatewayProperties.Router("kv", 2.0, null, null, null, null,
                new GatewayProperties.Leg("round_robin", null, null, null, null, null), null, "decode_first", 512,
                true, 7L);

        ResolvedRouterConfig resolved = RouterConfigLayers.resolve(List.of(router.toConfig()));

        assertThat(resolved.prefill().policy()).isEqualTo("round_robin");
        assertThat(resolved.decode().policy()).isEqualTo("kv");
        assertThat(resolved.decode().overlapScoreWeight()).isEqualTo(2.0);
        assertThat(resolved.remotePrefillThreshold()).isEqualTo(512);
        assertThat(resolved.refuseWhenFull()).isTrue();
    }

    private static GatewayProperties.Router router(String policy, Double weight, String orchestration) {
        return new GatewayProperties.Router(policy, weight, null, null, null, null, null, null, orchestration, null,
                null, null);
    }

    private static GatewayProperties properties(Duration ttl, Integer blockSize, Duration timeout, String encoding,
                                                GatewayProperties.Router router) {
        return new GatewayProperties(null, ttl, blockSize, timeout, encoding, null, router, null, null, null, null,
                null, null, null);
    }
}
