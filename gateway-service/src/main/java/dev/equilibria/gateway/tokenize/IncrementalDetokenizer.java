package dev.equilibria.gateway.tokenize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a stream of tokens into text piece by piece. BPE tokens are byte sequences that may split a multi-byte
 * UTF-8 character, so bytes of an unfinished character are held back until the token that completes it arrives;
 * a streamed chunk never carries half a character. Not thread-safe: one per stream.
 */
public final class IncrementalDetokenizer {

    private final Tokenizer tokenizer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    IncrementalDetokenizer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The text completed by this token; empty when it only starts a character. */
    public String next(int tokenId) {
        pending.writeBytes(tokenizer.tokenBytes(tokenId));
        byte[] bytes = pending.toByteArray();
        int complete = completePrefix(bytes);
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        return new String(bytes, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever is held back, with unfinished characters as U+FFFD; call at the end of the stream. */
    public String flush() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** Length of the longest prefix that does not end inside a UTF-8 character. */
    static int completePrefix(byte[] bytes) {
        int n = bytes.length;
        // a UTF-8 character is at most 4 bytes, so only the last 3 can start an unfinished one
        for (int i = n - 1; i >= Math.max(0, n - 3); i--) {
            int b = bytes[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead byte
            }
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return n - i < length ? i : n;
        }
        return n;
    }
}
