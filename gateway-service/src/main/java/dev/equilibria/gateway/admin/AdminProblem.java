package dev.equilibria.gateway.admin;

import org.springframework.http.HttpStatus;

/** An admin request refused with an RFC 7807 problem; {@code field} names the input at fault, if any. */
public class AdminProblem extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final String field;

    public AdminProblem(HttpStatus status, String title, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }
}
