package dev.equilibria.gateway.admin;

import dev.equilibria.protocol.event.EventCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Writes RFC 7807 problem documents ({@code application/problem+json}) for the admin API. */
public final class AdminProblems {

    private AdminProblems() {
    }

    public static boolean isAdminPath(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail,
                                   String field) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().value());
        if (field != null) {
            problem.put("field", field);
        }
        byte[] body = EventCodec.mapper().writeValueAsBytes(problem);
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
