package dev.equilibria.gateway.error;

import dev.equilibria.gateway.admin.AdminErrors;
import dev.equilibria.gateway.admin.AdminProblems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers every error of request dispatch (controllers, unknown paths, wrong methods or content types) with an
 * OpenAI error document. Ordered first, ahead of the fleet-wide RFC 7807 problem-details handler, because OpenAI
 * clients expect their own format on this API. The admin API answers RFC 7807 problems instead.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OpenAiErrorAdvice {

    @ExceptionHandler(Throwable.class)
    public Mono<Void> handle(Throwable error, ServerWebExchange exchange) {
        if (AdminProblems.isAdminPath(exchange)) {
            return AdminErrors.write(exchange, error);
        }
        return ErrorResponses.write(exchange, error);
    }
}
