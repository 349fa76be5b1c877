package dev.equilibria.gateway.limits;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The concurrency cap of the public API (body limits are {@link RequestBodyReader}'s). */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    @Bean
    public ConcurrencyLimitWebFilter concurrencyLimitWebFilter(GatewayProperties properties, GatewayMetrics metrics) {
        long retryAfter = Math.max(1, (properties.admission().retryAfter().toMillis() + 999) / 1000);
        return new ConcurrencyLimitWebFilter(properties.limits().maxConcurrentRequests(), retryAfter, metrics);
    }
}
