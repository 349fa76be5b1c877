package dev.equilibria.monitor.web;

/** A request that does not fit the current state (releasing when nothing is forced); becomes a 409 problem. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
