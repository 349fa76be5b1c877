package dev.equilibria.worker.host;

/** A leg that asked to be refused rather than queued found every batch slot taken; the gateway tries another. */
public class WorkerFullException extends RuntimeException {

    public WorkerFullException(String message) {
        super(message);
    }
}
