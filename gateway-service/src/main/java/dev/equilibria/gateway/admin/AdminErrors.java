package dev.equilibria.gateway.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Maps whatever ended an admin request to its RFC 7807 problem, never a stack trace. */
public final class AdminErrors {

    private static final Logger log = LoggerFactory.getLogger(AdminErrors.class);

    private AdminErrors() {
    }

    public static Mono<Void> write(ServerWebExchange exchange, Throwable error) {
        if (error instanceof AdminProblem problem) {
            return AdminProblems.write(exchange, problem.status(), problem.title(), problem.getMessage(),
                    problem.field());
        }
        if (error instanceof ResponseStatusException e) {
            HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
            status = status == null ? HttpStatus.BAD_REQUEST : status;
            return AdminProblems.write(exchange, status, status.getReasonPhrase(),
                    e.getReason() != null ? e.getReason() : status.getReasonPhrase(), null);
        }
        log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        return AdminProblems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "the admin request failed; see the gateway log", null);
    }
}
