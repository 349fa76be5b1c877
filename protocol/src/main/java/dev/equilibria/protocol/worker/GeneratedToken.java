package dev.equilibria.protocol.worker;

/**
 * One token streamed by a decode worker.
 *
 * @param index        position in the output, 0 for the first generated token
 * @param finishReason null while generating; {@code length} or {@code stop} on the last token
 */
public record GeneratedToken(String requestId, int index, int tokenId, String finishReason) {

    public static final String FINISH_LENGTH = "length";
    public static final String FINISH_STOP = "stop";
}
