package dev.equilibria.gateway.pipeline;

/** A request lost its worker more often than {@code failover.max-migrations} allows; the client gets an error. */
public class MigrationsExhaustedException extends RuntimeException {

    private final int migrations;
    private final int tokensSent;

    public MigrationsExhaustedException(String requestId, int migrations, int tokensSent, Throwable cause) {
        super("request " + requestId + " lost its worker after " + tokensSent + " tokens and had already been moved "
                + migrations + " time(s), the most allowed (" + cause.getMessage() + ")", cause);
        this.migrations = migrations;
        this.tokensSent = tokensSent;
    }

    public int migrations() {
        return migrations;
    }

    public int tokensSent() {
        return tokensSent;
    }
}
