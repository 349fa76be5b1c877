package dev.equilibria.monitor.web;

/** A request the admin API refuses as a whole, with a message naming the field; becomes a 400 problem document. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
