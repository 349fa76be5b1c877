package dev.equilibria.gateway.security;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.limits.ApiPaths;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.service.security.AdminSecurityAutoConfiguration;
import dev.equilibria.service.security.BearerTokens;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * When API keys are enabled, every {@code /v1/**} request needs {@code Authorization: Bearer <key>} with a
 * configured key (401 {@code invalid_api_key} otherwise, as OpenAI answers) and is counted against that key's token
 * bucket (429 {@code rate_limit_exceeded} with Retry-After when empty). Only the key's name is ever logged or
 * tagged.
 */
public class ApiKeyWebFilter implements WebFilter, Ordered {

    /** After CORS and the admin token filter. */
    public static final int ORDER = AdminSecurityAutoConfiguration.ADMIN_FILTER_ORDER + 10;

    private final ApiKeyRegistry keys;
    private final GatewayMetrics metrics;

    public ApiKeyWebFilter(ApiKeyRegistry keys, GatewayMetrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!keys.enabled() || !ApiPaths.isApi(exchange)) {
            return chain.filter(exchange);
        }
        String presented = BearerTokens.from(exchange.getRequest());
        if (presented == null) {
            metrics.edgeRejected("missing_api_key");
            return unauthorized(exchange, "You didn't provide an API key. Provide it in the Authorization header"
                    + " (Authorization: Bearer YOUR_KEY).");
        }
        Optional<ApiKeyRegistry.Client> client = keys.find(presented);
        if (client.isEmpty()) {
            metrics.edgeRejected("invalid_api_key");
            return unauthorized(exchange, "Incorrect API key provided.");
        }
        long waitNanos = client.get().bucket().tryTake();
        if (waitNanos > 0) {
            metrics.edgeRejected("rate_limited");
            metrics.apiKeyRequest(client.get().name(), "rate_limited");
            long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999));
            return Mono.error(new ApiException(HttpStatus.TOO_MANY_REQUESTS, ApiException.RATE_LIMIT, null,
                    ErrorCodes.RATE_LIMIT_EXCEEDED, "Rate limit reached for this API key ("
                    + client.get().bucket().rate() + " requests/s, burst " + client.get().bucket().burst()
                    + "); retry after " + retryAfter + " s", retryAfter));
        }
        metrics.apiKeyRequest(client.get().name(), "accepted");
        return chain.filter(exchange);
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String message) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"equilibria\"");
        return Mono.error(new ApiException(HttpStatus.UNAUTHORIZED, ApiException.INVALID_REQUEST, null,
                ErrorCodes.INVALID_API_KEY, message));
    }
}
