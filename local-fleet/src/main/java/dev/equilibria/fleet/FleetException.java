package dev.equilibria.fleet;

/** A failure the user can act on; its message names the cause and, where one exists, the log file to read. */
public class FleetException extends RuntimeException {

    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
