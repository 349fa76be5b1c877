package dev.equilibria.allocator.api;

import dev.equilibria.service.web.RefusedRequests;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring's own refusals (a wrong content type, method or path: 415, 405, 404), which happen before a controller is
 * chosen and so reach no controller's advice, as the same RFC 7807 documents as {@link AdminProblemAdvice}'s: a
 * type, a title and a detail even where Spring has none (a body sent without a content type). Ordered after the
 * admin advice, before Spring Boot's problem handler.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RefusedRequestAdvice {

    @ExceptionHandler(ErrorResponseException.class)
    public ResponseEntity<ProblemDetail> refused(ErrorResponseException e, ServerWebExchange exchange) {
        return RefusedRequests.problem(e, exchange);
    }
}
