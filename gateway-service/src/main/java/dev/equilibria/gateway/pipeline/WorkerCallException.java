package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.WorkerRole;

/** A call to a worker failed: it could not be reached, refused the leg, or broke the worker API contract. */
public class WorkerCallException extends RuntimeException {

    /** How the call failed. */
    public enum Failure {
        /** No connection, or the connection broke before the answer was complete. */
        UNREACHABLE,
        /** The worker answered with an HTTP error status. */
        REJECTED,
        /** The worker answered 2xx, but not what the worker API promises. */
        BAD_RESPONSE
    }

    private final WorkerRole leg;
    private final String workerId;
    private final Failure failure;
    private final int status;

    private WorkerCallException(WorkerRole leg, String workerId, Failure failure, int status, String message,
                                Throwable cause) {
        super(message, cause);
        this.leg = leg;
        this.workerId = workerId;
        this.failure = failure;
        this.status = status;
    }

    public static WorkerCallException unreachable(WorkerRole leg, String workerId, Throwable cause) {
        return new WorkerCallException(leg, workerId, Failure.UNREACHABLE, 0,
                leg.wireName() + " worker " + workerId + " could not be reached: " + cause.getMessage(), cause);
    }

    /** The worker took the call but did not answer (or stopped streaming) within {@code after}: presumed dead. */
    public static WorkerCallException timedOut(WorkerRole leg, String workerId, java.time.Duration after) {
        return new WorkerCallException(leg, workerId, Failure.UNREACHABLE, 0,
                leg.wireName() + " worker " + workerId + " sent nothing for " + after.toMillis() + " ms", null);
    }

    public static WorkerCallException rejected(WorkerRole leg, String workerId, int status, String reason) {
        return new WorkerCallException(leg, workerId, Failure.REJECTED, status,
                leg.wireName() + " worker " + workerId + " answered " + status
                        + (reason.isBlank() ? "" : ": " + reason), null);
    }

    public static WorkerCallException badResponse(WorkerRole leg, String workerId, String problem) {
        return new WorkerCallException(leg, workerId, Failure.BAD_RESPONSE, 0,
                leg.wireName() + " worker " + workerId + " sent an invalid response: " + problem, null);
    }

    public WorkerRole leg() {
        return leg;
    }

    public String workerId() {
        return workerId;
    }

    public Failure failure() {
        return failure;
    }

    /** The worker's HTTP status for {@link Failure#REJECTED}, else 0. */
    public int status() {
        return status;
    }
}
