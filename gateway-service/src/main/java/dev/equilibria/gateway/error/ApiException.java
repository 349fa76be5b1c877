package dev.equilibria.gateway.error;

import org.springframework.http.HttpStatus;

/**
 * A request that ends in an OpenAI-style error: the HTTP status and the {@code error} object's fields. Carries no
 * stack trace, since it is an answer, not a bug.
 */
public class ApiException extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String SERVICE_UNAVAILABLE = "service_unavailable_error";
    public static final String SERVER_ERROR = "server_error";
    /** OpenAI's type for 429s, which its clients raise as {@code RateLimitError}. */
    public static final String RATE_LIMIT = "rate_limit_error";

    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final long retryAfterSeconds;

    public ApiException(HttpStatus status, String type, String param, String code, String message) {
        this(status, type, param, code, message, 0);
    }

    /**
     * @param retryAfterSeconds sent as {@code Retry-After} when positive
     */
    public ApiException(HttpStatus status, String type, String param, String code, String message,
                        long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400 for a request the client must change. */
    public static ApiException invalidRequest(String param, String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, INVALID_REQUEST, param, code, message);
    }

    /** 503 for a request that may succeed later, when workers are back. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE, null, code, message);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    /** Seconds for the {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The body clients see. */
    public OpenAiError toBody() {
        return new OpenAiError(new OpenAiError.Body(getMessage(), type, param, code));
    }
}
