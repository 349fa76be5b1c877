package dev.equilibria.protocol.event;

/** An event could not be written or read. */
public class EventFormatException extends RuntimeException {

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
