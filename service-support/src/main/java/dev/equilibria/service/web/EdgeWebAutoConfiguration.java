package dev.equilibria.service.web;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * The edge settings every service shares: CORS (closed unless {@code equilibria.cors.*} allows origins) and a
 * deadline for reading a request body, so a client that sends its headers and then trickles or stalls the body
 * cannot hold a connection forever ({@code server.netty.idle-timeout} covers clients that stall before their
 * headers are complete).
 */
@AutoConfiguration
@EnableConfigurationProperties(CorsProperties.class)
public class EdgeWebAutoConfiguration {

    /** Property: longest time to read one request's body; past it the connection is closed. */
    public static final String REQUEST_READ_TIMEOUT = "equilibria.server.request-read-timeout";
    /** Generous for any body a service accepts; the gateway answers its own API sooner (see its limits). */
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(60);

    /** First of all filters, so preflight requests are answered before any token check. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public CorsWebFilter corsWebFilter(CorsProperties properties) {
        CorsConfiguration config = properties.toConfiguration();
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (config != null) {
            source.registerCorsConfiguration("/**", config);
        }
        return new CorsWebFilter(source);
    }

    @Bean
    @ConditionalOnClass(name = "reactor.netty.http.server.HttpServer")
    public NettyServerCustomizer requestReadTimeoutCustomizer(
            @Value("${" + REQUEST_READ_TIMEOUT + ":}") Duration timeout) {
        Duration readTimeout = timeout == null ? DEFAULT_REQUEST_READ_TIMEOUT : timeout;
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException(REQUEST_READ_TIMEOUT + ": must be positive, got " + readTimeout);
        }
        return server -> server.requestTimeout(readTimeout);
    }
}
