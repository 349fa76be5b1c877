package dev.equilibria.gateway.security;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API keys (from the environment or a file named there) and the filter that checks them. */
@Configuration(proxyBeanMethods = false)
public class ApiKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyConfiguration.class);

    @Bean
    public ApiKeyRegistry apiKeyRegistry(GatewayProperties properties) {
        ApiKeyRegistry registry = ApiKeyRegistry.from(properties.apiKeys(), ApiKeyRegistry::readKeyFile,
                System::nanoTime);
        if (registry.enabled()) {
            log.info("API keys required on /v1: {} keys configured", registry.size());
        }
        return registry;
    }

    @Bean
    public ApiKeyWebFilter apiKeyWebFilter(ApiKeyRegistry apiKeyRegistry, GatewayMetrics metrics) {
        return new ApiKeyWebFilter(apiKeyRegistry, metrics);
    }
}
