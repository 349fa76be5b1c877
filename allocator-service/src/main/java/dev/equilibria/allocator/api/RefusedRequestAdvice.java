package dev.equilibria.allocator.api;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * Spring's own refusals (a wrong content type, method or path: 415, 405, 404), which happen before a controller is
 * chosen and so reach no controller's advice, as the same RFC 7807 documents as {@link AdminProblemAdvice}'s: a
 * type, a title and a detail even where Spring has none (a body sent without a content type). Ordered after the
 * admin advice, before Spring Boot's problem handler.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RefusedRequestAdvice {

    /** RFC 7807's type for a problem that needs no more than its status and title. */
    static final URI PLAIN_PROBLEM = URI.create("about:blank");

    @ExceptionHandler(ErrorResponseException.class)
    public ResponseEntity<ProblemDetail> refused(ErrorResponseException e, ServerWebExchange exchange) {
        HttpStatusCode status = e.getStatusCode();
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = e.getBody().getTitle() != null ? e.getBody().getTitle()
                : known != null ? known.getReasonPhrase() : "Error";
        String detail;
        if (e instanceof UnsupportedMediaTypeStatusException unsupported) {
            detail = (unsupported.getContentType() == null ? "no content type given"
                    : "content type '" + unsupported.getContentType() + "' is not supported")
                    + "; send " + MediaType.APPLICATION_JSON_VALUE;
        } else {
            detail = e.getBody().getDetail() != null ? e.getBody().getDetail() : title;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(PLAIN_PROBLEM);
        problem.setTitle(title);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        return ResponseEntity.status(status).headers(e.getHeaders()).body(problem);
    }
}
