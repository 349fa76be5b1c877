package dev.equilibria.engine.scheduler;

/** Receives one sequence's output. Called on the engine's thread, inside a step: implementations must not block. */
public interface SequenceListener {

    /**
     * A token was generated.
     *
     * @param index  position in the output, 0 for the first token
     * @param finish null while the sequence goes on, else why it ended with this token
     */
    void onToken(Sequence sequence, int index, int tokenId, FinishReason finish);

    /** A decode-only sequence's KV has arrived from its prefill worker, which may now release its hold. */
    default void onKvReceived(Sequence sequence) {
    }

    /** The sequence ended without finishing, for example because it was cancelled. */
    default void onAborted(Sequence sequence, String reason) {
    }
}
