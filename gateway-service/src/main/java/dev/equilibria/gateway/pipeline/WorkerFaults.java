package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.worker.WorkerPaths;

/**
 * Sorts worker call failures by what the gateway may do about them. A <em>refusal</em> (404 unknown worker, 409
 * wrong role or draining, 429 and 503 overloaded) means the worker is healthy but will not take this leg: another
 * worker may. A 429 after a leg asked to be refused when full ({@code refuse_when_full}) is such a refusal, and not
 * a failure of the leg. A <em>death</em> (unreachable, connection reset mid-answer, 5xx, no answer within the leg's timeout)
 * means the worker is gone or broken: another worker may take the leg, a stream that broke off migrates, and the
 * worker's circuit breaker counts it. A contract break (an invalid answer) also counts against the breaker but is
 * not retried: it would fail the same way again. A 400 is the request's fault and counts against nothing.
 */
public final class WorkerFaults {

    private WorkerFaults() {
    }

    /** The worker refused a leg it is healthy enough to answer. */
    public static boolean refusal(Throwable error) {
        return error instanceof WorkerCallException call && call.failure() == WorkerCallException.Failure.REJECTED
                && switch (call.status()) {
                    case 404, 409, 429, 503 -> true;
                    default -> false;
                };
    }

    /** The worker had no free batch slot for a leg that asked to be refused rather than queued. */
    public static boolean full(Throwable error) {
        return error instanceof WorkerCallException call && call.failure() == WorkerCallException.Failure.REJECTED
                && call.status() == WorkerPaths.FULL_STATUS;
    }

    /** The worker died or failed internally: its leg may run elsewhere and its stream may migrate. */
    public static boolean death(Throwable error) {
        if (!(error instanceof WorkerCallException call)) {
            return false;
        }
        return call.failure() == WorkerCallException.Failure.UNREACHABLE
                || call.failure() == WorkerCallException.Failure.REJECTED && call.status() >= 500
                && call.status() != 503;
    }

    /** Another worker may take a leg that failed before any of its output reached the client. */
    public static boolean retryable(Throwable error) {
        return refusal(error) || death(error);
    }

    /** Counts against the worker's circuit breaker. */
    public static boolean breakerFailure(Throwable error) {
        return death(error) || error instanceof WorkerCallException call
                && call.failure() == WorkerCallException.Failure.BAD_RESPONSE;
    }
}
