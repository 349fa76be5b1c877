package dev.equilibria.service.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.web.cors.CorsConfiguration;

/**
 * {@code equilibria.cors.*}: cross-origin access to a service, named as Spring's {@link CorsConfiguration} (and
 * {@code management.endpoints.web.cors.*}) name them. Closed by default: with no allowed origin or origin pattern
 * no response carries {@code Access-Control-Allow-Origin}, so browsers on other origins cannot read anything.
 *
 * @param allowedOrigins        origins allowed, for example {@code https://ops.example.com}; {@code *} for any
 * @param allowedOriginPatterns origin patterns allowed, for example {@code https://*.example.com}
 * @param allowedMethods        methods allowed; {@code *} for any
 * @param allowedHeaders        request headers allowed; {@code *} for any
 * @param exposedHeaders        response headers a browser may read besides the simple ones
 * @param allowCredentials      whether cookies and authorization may be sent cross-origin
 * @param maxAge                how long a browser may cache a preflight answer
 */
@ConfigurationProperties(prefix = CorsProperties.PREFIX)
public record CorsProperties(List<String> allowedOrigins, List<String> allowedOriginPatterns,
                             List<String> allowedMethods, List<String> allowedHeaders, List<String> exposedHeaders,
                             Boolean allowCredentials, Duration maxAge) {

    public static final String PREFIX = "equilibria.cors";

    /** What the public and admin APIs use: reads, JSON posts and the admin updates. */
    public static final List<String> DEFAULT_ALLOWED_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE");
    public static final List<String> DEFAULT_ALLOWED_HEADERS = List.of("Authorization", "Content-Type");
    public static final List<String> DEFAULT_EXPOSED_HEADERS = List.of("Retry-After");
    public static final boolean DEFAULT_ALLOW_CREDENTIALS = false;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(30);

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedOriginPatterns = allowedOriginPatterns == null ? List.of() : List.copyOf(allowedOriginPatterns);
        allowedMethods = allowedMethods == null || allowedMethods.isEmpty() ? DEFAULT_ALLOWED_METHODS
                : List.copyOf(allowedMethods);
        allowedHeaders = allowedHeaders == null || allowedHeaders.isEmpty() ? DEFAULT_ALLOWED_HEADERS
                : List.copyOf(allowedHeaders);
        exposedHeaders = exposedHeaders == null ? DEFAULT_EXPOSED_HEADERS : List.copyOf(exposedHeaders);
        allowCredentials = allowCredentials == null ? DEFAULT_ALLOW_CREDENTIALS : allowCredentials;
        maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
    }

    /** Whether any origin may call at all. */
    public boolean open() {
        return !allowedOrigins.isEmpty() || !allowedOriginPatterns.isEmpty();
    }

    /**
     * The configuration to apply to every path, or null when closed. Invalid combinations (credentials with the
     * {@code *} origin) stop startup with Spring's message.
     */
    public CorsConfiguration toConfiguration() {
        if (!open()) {
            return null;
        }
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(allowedOrigins);
        if (!allowedOriginPatterns.isEmpty()) {
            config.setAllowedOriginPatterns(allowedOriginPatterns);
        }
        config.setAllowedMethods(allowedMethods);
        config.setAllowedHeaders(allowedHeaders);
        config.setExposedHeaders(exposedHeaders);
        config.setAllowCredentials(allowCredentials);
        config.setMaxAge(maxAge);
        config.validateAllowCredentials();
        return config;
    }
}
