package dev.equilibria.worker.host;

/** The worker cannot take this request now (wrong role or draining); the gateway should pick another. */
public class WorkerUnavailableException extends RuntimeException {

    public WorkerUnavailableException(String message) {
        super(message);
    }
}
