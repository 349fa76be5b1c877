package dev.equilibria.service.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * Spring's own refusals (415, 405, 406, 404) as the admin APIs' RFC 7807 problems: Spring's status and headers, a
 * type, a title and a detail even where Spring has none (a body sent without a content type).
 */
public final class RefusedRequests {

    /** RFC 7807's type for a problem that needs no more than its status and title. */
    public static final URI PLAIN_PROBLEM = URI.create("about:blank");

    private RefusedRequests() {
    }

    public static ResponseEntity<ProblemDetail> problem(ErrorResponseException e, ServerWebExchange exchange) {
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
