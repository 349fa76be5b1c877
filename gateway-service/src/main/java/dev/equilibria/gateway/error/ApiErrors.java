package dev.equilibria.gateway.error;

import dev.equilibria.gateway.pipeline.MigrationsExhaustedException;
import dev.equilibria.gateway.pipeline.NoWorkerAvailableException;
import dev.equilibria.gateway.pipeline.WorkerCallException;
import dev.equilibria.protocol.WorkerRole;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Turns whatever ended a request into the error a client sees. Worker trouble that may pass (a worker gone,
 * draining or overloaded) is 503 so clients retry; a worker that broke the contract is 502; anything unforeseen is a
 * 500 whose message points at the gateway log, never a stack trace.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static ApiException from(Throwable error) {
        if (error instanceof ApiException api) {
            return api;
        }
        if (error instanceof NoWorkerAvailableException e) {
            return ApiException.unavailable(e.leg() == WorkerRole.PREFILL
                    ? ErrorCodes.NO_PREFILL_WORKER : ErrorCodes.NO_DECODE_WORKER, e.getMessage());
        }
        if (error instanceof MigrationsExhaustedException e) {
            return ApiException.unavailable(ErrorCodes.WORKER_LOST, e.getMessage() + "; retry later");
        }
        if (error instanceof WorkerCallException e) {
            return fromWorker(e);
        }
        if (error instanceof TimeoutException) {
            return new ApiException(HttpStatus.GATEWAY_TIMEOUT, ApiException.SERVER_ERROR, null, ErrorCodes.TIMEOUT,
                    "the request did not finish within the gateway's request timeout");
        }
        if (error instanceof ResponseStatusException e) {
            return fromStatus(e);
        }
        return internal();
    }

    /** The 500 for an unexpected failure; the details go to the log, not to the client. */
    public static ApiException internal() {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, ApiException.SERVER_ERROR, null,
                ErrorCodes.INTERNAL_ERROR, "the gateway failed to handle the request; see the gateway log");
    }

    private static ApiException fromWorker(WorkerCallException e) {
        boolean transientFailure = e.failure() == WorkerCallException.Failure.UNREACHABLE
                || switch (e.status()) {
                    case 404, 409, 429, 503 -> true; // gone, switched role or draining, overloaded
                    default -> false;
                };
        if (transientFailure) {
            return ApiException.unavailable(ErrorCodes.WORKER_UNAVAILABLE, e.getMessage() + "; retry later");
        }
        return new ApiException(HttpStatus.BAD_GATEWAY, ApiException.SERVER_ERROR, null, ErrorCodes.WORKER_ERROR,
                e.getMessage());
    }

    private static ApiException fromStatus(ResponseStatusException e) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        if (status == null) {
            status = e.getStatusCode().is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String message = e.getReason() != null ? e.getReason() : status.getReasonPhrase();
        if (status.is5xxServerError()) {
            return new ApiException(status, ApiException.SERVER_ERROR, null, ErrorCodes.INTERNAL_ERROR, message);
        }
        String code = switch (status) {
            case NOT_FOUND -> ErrorCodes.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCodes.METHOD_NOT_ALLOWED;
            case PAYLOAD_TOO_LARGE -> ErrorCodes.REQUEST_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
            default -> null;
        };
        if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
            message += "; send the body as application/json";
        }
        return new ApiException(status, ApiException.INVALID_REQUEST, null, code, message);
    }
}
