package dev.equilibria.routing.policy;

/** A router setting with a bad value; {@link #field()} names it as a client wrote it, for example {@code prefill.policy}. */
public class InvalidSettingException extends IllegalArgumentException {

    private final String field;

    public InvalidSettingException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The bare problem, without the field name in front. */
    public String problem() {
        return getMessage().substring(field.length() + 2);
    }
}
