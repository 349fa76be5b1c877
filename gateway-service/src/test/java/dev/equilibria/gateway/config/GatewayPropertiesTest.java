package dev.equilibria.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayPropertiesTest {

    @Test
    void missingValuesTakeTheNamedDefaults() {
        GatewayProperties defaults = GatewayProperties.defaults();

        assertThat(defaults.heartbeatTtl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.blockSize()).isEqualTo(64);
        assertThat(defaults.requestTimeout()).isEqualTo(GatewayProperties.DEFAULT_REQUEST_TIMEOUT);
        assertThat(defaults.tokenizerEncoding()).isEqualTo("cl100k_base");
        assertThat(defaults.routingPolicy()).isEqualTo("round_robin");
        assertThat(defaults.workerConnectTimeout()).isEqualTo(GatewayProperties.DEFAULT_WORKER_CONNECT_TIMEOUT);
    }

    @Test
    void invalidValuesNameTheProperty() {
        assertThatThrownBy(() -> new GatewayProperties(Duration.ZERO, null, null, null, null, null))
                .hasMessageContaining("equilibria.gateway.heartbeat-ttl");
        assertThatThrownBy(() -> new GatewayProperties(null, 48, null, null, null, null))
                .hasMessageContaining("equilibria.gateway.block-size");
        assertThatThrownBy(() -> new GatewayProperties(null, null, Duration.ofSeconds(-1), null, null, null))
                .hasMessageContaining("equilibria.gateway.request-timeout");
        assertThatThrownBy(() -> new GatewayProperties(null, null, null, "nope", null, null))
                .hasMessageContaining("equilibria.gateway.tokenizer-encoding").hasMessageContaining("cl100k_base");
        assertThatThrownBy(() -> new GatewayProperties(null, null, null, null, "fastest", null))
                .hasMessageContaining("equilibria.gateway.routing-policy").hasMessageContaining("round_robin");
    }
}
