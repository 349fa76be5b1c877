package dev.equilibria.fleet.bench;

/** How a request ended, from the client's side. */
public enum Outcome {
    /** HTTP 200, a stream of tokens closed by {@code [DONE]}, no error event. */
    SUCCESS,
    /**
     * The client was told it failed: an HTTP error status, an error event in the stream, or a connection the server
     * refused (nothing was accepted).
     */
    EXPLICIT_ERROR,
    /**
     * The client cannot tell what happened: the stream ended without {@code [DONE]} or an error, the connection
     * dropped after the request was sent, or it ran past the request timeout.
     */
    LOST
}
