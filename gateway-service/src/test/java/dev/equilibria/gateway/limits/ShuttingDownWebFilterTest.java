package dev.equilibria.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.TestGatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class ShuttingDownWebFilterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GenericApplicationContext gateway = new GenericApplicationContext();
    private final ShuttingDownWebFilter filter = new ShuttingDownWebFilter(TestGatewayMetrics.create(registry),
            gateway);
    private final AtomicInteger passed = new AtomicInteger();
    private final WebFilterChain chain = exchange -> {
        passed.incrementAndGet();
        return Mono.empty();
    };

    @Test
    void passesRequestsUntilTheContextClosesThenRefusesNewApiRequestsAndClosesTheirConnection() {
        filter.filter(post("/v1/completions"), chain).block();
        assertThat(passed).hasValue(1);

        GenericApplicationContext child = new GenericApplicationContext(gateway);
        filter.onApplicationEvent(new ContextClosedEvent(child));
        filter.filter(post("/v1/completions"), chain).block();
        assertThat(passed).as("a child context closing is not the gateway stopping").hasValue(2);

        filter.onApplicationEvent(new ContextClosedEvent(gateway));
        MockServerWebExchange refused = post("/v1/completions");

        assertThatThrownBy(() -> filter.filter(refused, chain).block()).isInstanceOfSatisfying(ApiException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.code()).isEqualTo(ErrorCodes.SHUTTING_DOWN);
                    assertThat(e.retryAfterSeconds()).isEqualTo(ShuttingDownWebFilter.RETRY_AFTER_SECONDS);
                });
        assertThat(refused.getResponse().getHeaders().getFirst(HttpHeaders.CONNECTION)).isEqualTo("close");
        assertThat(passed).hasValue(2);
        assertThat(registry.counter(GatewayMetrics.EDGE_REJECTIONS, "reason", "shutting_down").count())
                .isEqualTo(1);

        // health, metrics and the admin API keep answering while the gateway drains
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.get("/actuator/health/readiness")), chain)
                .block();
        assertThat(passed).hasValue(3);
    }

    private static MockServerWebExchange post(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path).body("{}"));
    }
}
