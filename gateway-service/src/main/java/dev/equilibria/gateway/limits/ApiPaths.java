package dev.equilibria.gateway.limits;

import org.springframework.web.server.ServerWebExchange;

/** The public, OpenAI-compatible API: everything under {@code /v1}. */
public final class ApiPaths {

    public static final String PREFIX = "/v1";

    private ApiPaths() {
    }

    public static boolean isApi(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }
}
