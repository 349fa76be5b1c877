package dev.equilibria.service.security;

import dev.equilibria.service.web.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards {@code /admin/**} with a bearer token read from {@code EQUILIBRIA_ADMIN_TOKEN}. Only the token's SHA-256
 * digest is kept, and the presented token's digest is compared in constant time, so the token can be guessed
 * neither byte by byte nor by its length; with no token configured every admin call is refused. Neither token is
 * ever logged.
 */
public class AdminTokenWebFilter implements WebFilter {

    /** Paths under this prefix need the token. */
    public static final String ADMIN_PATH_PREFIX = "/admin";

    private final byte[] expectedDigest;

    public AdminTokenWebFilter(String token) {
        this.expectedDigest = token == null || token.isBlank() ? null : SecretDigest.of(token.trim());
    }

    /** Whether {@code path} (within the application) is part of the admin API. */
    public static boolean isAdminPath(String path) {
        return path.equals(ADMIN_PATH_PREFIX) || path.startsWith(ADMIN_PATH_PREFIX + "/");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isAdminPath(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        if (expectedDigest == null) {
            return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED,
                    "Admin API disabled", "set EQUILIBRIA_ADMIN_TOKEN to enable the admin API");
        }
        String presented = BearerTokens.from(exchange.getRequest());
        if (presented == null || !SecretDigest.matches(expectedDigest, presented)) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"equilibria-admin\"");
            return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED,
                    "Unauthorized", "a valid admin bearer token is required");
        }
        return chain.filter(exchange);
    }
}
