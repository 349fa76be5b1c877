package dev.equilibria.gateway.error;

/** The {@code code} values of the gateway's error responses, in one place so clients and docs can rely on them. */
public final class ErrorCodes {

    public static final String INVALID_JSON = "invalid_json";
    public static final String MISSING_PARAMETER = "missing_required_parameter";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String UNSUPPORTED_PARAMETER = "unsupported_parameter";
    public static final String UNSUPPORTED_VALUE = "unsupported_value";
    public static final String MODEL_NOT_FOUND = "model_not_found";
    public static final String CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String REQUEST_TOO_LARGE = "request_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String NO_WORKERS = "no_workers_available";
    public static final String NO_PREFILL_WORKER = "no_prefill_worker_available";
    public static final String NO_DECODE_WORKER = "no_decode_worker_available";
    public static final String WORKER_UNAVAILABLE = "worker_unavailable";
    public static final String WORKER_ERROR = "worker_error";
    public static final String WORKER_LOST = "worker_lost";
    public static final String TIMEOUT = "timeout";
    public static final String QUEUE_FULL = "queue_full";
    public static final String QUEUE_TIMEOUT = "queue_timeout";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String UNKNOWN_PARAMETER = "unknown_parameter";
    public static final String INVALID_ENCODING = "invalid_encoding";
    public static final String PROMPT_TOO_LONG = "prompt_too_long";
    public static final String REQUEST_TIMEOUT = "request_timeout";
    public static final String TOO_MANY_CONCURRENT_REQUESTS = "too_many_concurrent_requests";
    public static final String INVALID_API_KEY = "invalid_api_key";
    public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
    public static final String SHUTTING_DOWN = "shutting_down";

    private ErrorCodes() {
    }
}
