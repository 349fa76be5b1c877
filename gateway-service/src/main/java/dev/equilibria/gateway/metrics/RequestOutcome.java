package dev.equilibria.gateway.metrics;

import dev.equilibria.gateway.error.ApiErrors;
import java.util.Locale;

/** How a completion request ended, as the {@code outcome} tag of the request metrics. */
public enum RequestOutcome {
    SUCCESS,
    /** 4xx: the client sent something we refuse. */
    INVALID_REQUEST,
    /** 429: admission shed it (every worker over its threshold and the queue full). */
    SHED,
    /** 503: no worker could take it. */
    UNAVAILABLE,
    /** 502: a worker failed. */
    WORKER_ERROR,
    /** 504: the request timeout ran out. */
    TIMEOUT,
    /** The client went away before the end. */
    CANCELLED,
    /** 500: a bug of ours. */
    INTERNAL_ERROR;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RequestOutcome of(Throwable error) {
        int status = ApiErrors.from(error).status().value();
        if (status == 429) {
            return SHED;
        }
        if (status >= 400 && status < 500) {
            return INVALID_REQUEST;
        }
        return switch (status) {
            case 502 -> WORKER_ERROR;
            case 503 -> UNAVAILABLE;
            case 504 -> TIMEOUT;
            default -> INTERNAL_ERROR;
        };
    }
}
