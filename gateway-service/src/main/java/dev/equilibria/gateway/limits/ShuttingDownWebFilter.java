package dev.equilibria.gateway.limits;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.security.ApiKeyWebFilter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Once the gateway is shutting down (the context is closing, readiness refuses traffic), answers new API requests
 * 503 {@code shutting_down} with Retry-After and {@code Connection: close} instead of starting them. Graceful
 * shutdown waits for the streams in flight, but a request that arrives during it on a kept-alive connection can be
 * started and then cut when the server closes its connections: the reliability suite saw one stream truncated after
 * 13 of 16 tokens in one gateway SIGTERM out of five. Refused, it is an explicit error that OpenAI clients retry.
 */
@Component
public class ShuttingDownWebFilter implements WebFilter, Ordered, ApplicationListener<ContextClosedEvent> {

    /** Before the API-key check: a stopping gateway refuses every API request alike. */
    public static final int ORDER = ApiKeyWebFilter.ORDER - 5;
    /** Long enough for a load balancer to have moved the client to another replica. */
    static final long RETRY_AFTER_SECONDS = 1;

    private final GatewayMetrics metrics;
    private final ApplicationContext context;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    public ShuttingDownWebFilter(GatewayMetrics metrics, ApplicationContext context) {
        this.metrics = metrics;
        this.context = context;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        // child contexts (Spring Cloud's per-client ones) pass their closing up to this one: only its own counts
        if (event.getApplicationContext() == context) {
            shuttingDown.set(true);
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!shuttingDown.get() || !ApiPaths.isApi(exchange)) {
            return chain.filter(exchange);
        }
        metrics.edgeRejected("shutting_down");
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiException.SERVICE_UNAVAILABLE, null,
                ErrorCodes.SHUTTING_DOWN, "this gateway is shutting down; retry after " + RETRY_AFTER_SECONDS
                + " s (another replica, or this one once restarted, will take the request)", RETRY_AFTER_SECONDS));
    }
}
