package dev.equilibria.monitor.web;

import dev.equilibria.service.web.RefusedRequests;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * RFC 7807 problem documents for the monitor's API: invalid values, unreadable bodies, state conflicts and requests
 * refused before a controller is chosen (a wrong content type, method or path), each with a type, a title and a
 * detail naming what was wrong. Nothing is applied when a request is refused. Global, so that the refusals of request
 * mapping, which belong to no controller, get the same documents.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemAdvice {

    /** RFC 7807's type for a problem that needs no more than its status and title. */
    static final URI PLAIN_PROBLEM = URI.create("about:blank");

    @ExceptionHandler(InvalidInputException.class)
    public ResponseEntity<ProblemDetail> invalid(InvalidInputException e, ServerWebExchange exchange) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid input", e.getMessage(), exchange);
    }

    @ExceptionHandler(ServerWebInputException.class)
    public ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e, ServerWebExchange exchange) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = e.getReason() == null ? "unreadable request" : e.getReason();
        if (root != e && root.getMessage() != null) {
            String message = root.getMessage();
            int newline = message.indexOf('\n');
            detail += ": " + (newline > 0 ? message.substring(0, newline) : message);
        }
        return problem(HttpStatus.BAD_REQUEST, "Malformed request", detail, exchange);
    }

    @ExceptionHandler(ConflictException.class)
    public ResponseEntity<ProblemDetail> conflict(ConflictException e, ServerWebExchange exchange) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), exchange);
    }

    /** Spring's own refusals (415, 405, 406, 404): its status and headers, with a detail even where it has none. */
    @ExceptionHandler(ErrorResponseException.class)
    public ResponseEntity<ProblemDetail> refused(ErrorResponseException e, ServerWebExchange exchange) {
        return RefusedRequests.problem(e, exchange);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String title, String detail,
                                                         ServerWebExchange exchange) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(PLAIN_PROBLEM);
        problem.setTitle(title);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        return ResponseEntity.status(status).body(problem);
    }
}
