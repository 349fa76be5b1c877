package dev.equilibria.simulator.workload;

/**
 * Turns a trace's block ids into token ids: each id always expands to the same pseudo-random chunk of tokens, so
 * requests that share leading ids share leading tokens and therefore KV block hashes, as they did in the trace.
 */
public final class TokenChunks {

    /** Token ids are drawn below this bound (cl100k's vocabulary size). */
    public static final int VOCABULARY = 100_000;

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final int chunkTokens;
    private final long salt;

    public TokenChunks(int chunkTokens, long salt) {
        this.chunkTokens = chunkTokens;
        this.salt = salt;
    }

    /** Fills {@code out[offset, offset + length)} with the first {@code length} tokens of chunk {@code id}. */
    public void fill(long id, int[] out, int offset, int length) {
        fillFrom(id * GOLDEN_GAMMA ^ salt, out, offset, length);
    }

    /**
     * A SplitMix64 stream, two tokens per 64-bit draw, scaled into the vocabulary by multiply-shift rather than a
     * rejection loop: a long trace's prompts are millions of tokens, and only equality between chunks matters.
     */
    private static void fillFrom(long seed, int[] out, int offset, int length) {
        long state = mix64(seed); // unrelated streams for neighbouring ids
        int i = 0;
        for (; i + 1 < length; i += 2) {
            state += GOLDEN_GAMMA;
            long r = mix64(state);
            out[offset + i] = (int) (((r & 0xFFFFFFFFL) * VOCABULARY) >>> 32);
            out[offset + i + 1] = (int) (((r >>> 32) * VOCABULARY) >>> 32);
        }
        if (i < length) {
            state += GOLDEN_GAMMA;
            out[offset + i] = (int) (((mix64(state) & 0xFFFFFFFFL) * VOCABULARY) >>> 32);
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
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
            fillFrom(salt ^ tokens ^ (ids.length == 0 ? 0 : ids[ids.length - 1]), prompt, offset, tokens - offset);
        }
        return prompt;
    }

    public int chunkTokens() {
        return chunkTokens;
    }
}
