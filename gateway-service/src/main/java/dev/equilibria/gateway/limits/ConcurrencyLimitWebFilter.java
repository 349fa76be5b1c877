package dev.equilibria.gateway.limits;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.security.ApiKeyWebFilter;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Caps the API requests handled at once, from their headers to their last byte. Past the cap a request is answered
 * 429 with Retry-After before its body is read, so memory for bodies stays below cap x max body size whatever the
 * offered load, and the admission queue behind stays the only place where requests wait.
 */
public class ConcurrencyLimitWebFilter implements WebFilter, Ordered {

    public static final int ORDER = ApiKeyWebFilter.ORDER + 10;

    private final int limit;
    private final long retryAfterSeconds;
    private final GatewayMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ConcurrencyLimitWebFilter(int limit, long retryAfterSeconds, GatewayMetrics metrics) {
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
        this.metrics = metrics;
        metrics.inFlight(inFlight::get);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!ApiPaths.isApi(exchange)) {
            return chain.filter(exchange);
        }
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            metrics.edgeRejected("concurrency_limit");
            return Mono.error(new ApiException(HttpStatus.TOO_MANY_REQUESTS, ApiException.RATE_LIMIT, null,
                    ErrorCodes.TOO_MANY_CONCURRENT_REQUESTS, "the gateway is handling its limit of " + limit
                    + " concurrent requests; retry after " + retryAfterSeconds + " s", retryAfterSeconds));
        }
        return chain.filter(exchange).doFinally(signal -> inFlight.decrementAndGet());
    }

    public int inFlight() {
        return inFlight.get();
    }
}
