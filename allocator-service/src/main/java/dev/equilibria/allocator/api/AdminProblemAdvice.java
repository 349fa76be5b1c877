package dev.equilibria.allocator.api;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import dev.equilibria.service.web.RefusedRequests;

/**
 * Turns bad admin input into RFC 7807 problem documents ({@code application/problem+json}, status 400) that say what
 * is wrong and name the field, never a stack trace. Nothing is applied when a request is refused.
 */
@RestControllerAdvice(assignableTypes = AllocatorAdminController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdminProblemAdvice {

    @ExceptionHandler(InvalidInputException.class)
    public ProblemDetail invalid(InvalidInputException e, ServerWebExchange exchange) {
        ProblemDetail problem = problem("Invalid input", e.getMessage(), exchange);
        problem.setProperty("field", e.field());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ProblemDetail illegal(IllegalArgumentException e, ServerWebExchange exchange) {
        return problem("Invalid input", e.getMessage(), exchange);
    }

    @ExceptionHandler(ServerWebInputException.class)
    public ProblemDetail unreadable(ServerWebInputException e, ServerWebExchange exchange) {
        String detail = e.getReason() == null ? "the request body could not be read" : e.getReason();
        Throwable cause = e.getMostSpecificCause();
        if (cause != e && cause.getMessage() != null) {
            String message = cause.getMessage();
            int newline = message.indexOf('\n');
            detail += ": " + (newline > 0 ? message.substring(0, newline) : message);
        }
        return problem("Malformed request", detail, exchange);
    }

    private static ProblemDetail problem(String title, String detail, ServerWebExchange exchange) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(RefusedRequests.PLAIN_PROBLEM);
        problem.setTitle(title);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        return problem;
    }
}
