package dev.equilibria.allocator.api;

/** A request field the admin API cannot accept; answered with a 400 problem document naming the field. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
