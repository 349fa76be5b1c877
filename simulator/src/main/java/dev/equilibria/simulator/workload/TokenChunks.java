package dev.equilibria.simulator.workload;

import java.util.SplittableRandom;

/**
 * Turns a trace's block ids into token ids: each id always expands to the same pseudo-random chunk of tokens, so
 * requests that share leading ids share leading tokens and therefore KV block hashes, as they did in the trace.
 */
public final class TokenChunks {

    /** Token ids are drawn below this bound (cl100k's vocabulary size). */
    public static final int VOCABULARY = 100_000;

    private final int chunkTokens;
    private final long salt;

    public TokenChunks(int chunkTokens, long salt) {
        this.chunkTokens = chunkTokens;
        this.salt = salt;
    }

    /** Fills {@code out[offset, offset + length)} with the first {@code length} tokens of chunk {@code id}. */
    public void fill(long id, int[] out, int offset, int length) {
        SplittableRandom random = new SplittableRandom(id * 0x9e3779b97f4a7c15L ^ salt);
        for (int i = 0; i < length; i++) {
            out[offset + i] = random.nextInt(VOCABULARY);
        }
    }

    /** A prompt of {@code tokens} tokens made of the chunks of {@code ids}, the last one cut to fit. */
    public int[] prompt(long[] ids, int tokens) {
        int[] prompt = new int[tokens];
        int offset = 0;
        for (int i = 0; i < ids.length && offset < tokens; i++) {
            int length = Math.min(chunkTokens, tokens - offset);
            fill(ids[i], prompt, offset, length);
            offset += length;
        }
        if (offset < tokens) { // more tokens than the ids cover: fill with a chunk unique to this prompt
            SplittableRandom random = new SplittableRandom(salt ^ tokens ^ (ids.length == 0 ? 0 : ids[ids.length - 1]));
            for (int i = offset; i < tokens; i++) {
                prompt[i] = random.nextInt(VOCABULARY);
            }
        }
        return prompt;
    }

    public int chunkTokens() {
        return chunkTokens;
    }
}
