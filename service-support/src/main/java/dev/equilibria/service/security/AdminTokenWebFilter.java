package dev.equilibria.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import dev.equilibria.service.web.ProblemResponses;
import reactor.core.publisher.Mono;

/**
 * Guards {@code /admin/**} with a bearer token read from {@code EQUILIBRIA_ADMIN_TOKEN}. Compares in constant time
 * so the token cannot be guessed byte by byte; with no token configured every admin call is refused.
 */
public class AdminTokenWebFilter implements WebFilter {

    /** Paths under this prefix need the token. */
    public static final String ADMIN_PATH_PREFIX = "/admin";

    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    public AdminTokenWebFilter(String token) {
        this.expected = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals(ADMIN_PATH_PREFIX) && !path.startsWith(ADMIN_PATH_PREFIX + "/")) {
            return chain.filter(exchange);
        }
        if (expected.length == 0) {
            return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED,
                    "Admin API disabled", "set EQUILIBRIA_ADMIN_TOKEN to enable the admin API");
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER) || !matches(header.substring(BEARER.length()))) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"equilibria-admin\"");
            return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED,
                    "Unauthorized", "a valid admin bearer token is required");
        }
        return chain.filter(exchange);
    }

    private boolean matches(String presented) {
        return MessageDigest.isEqual(expected, presented.trim().getBytes(StandardCharsets.UTF_8));
    }
}
