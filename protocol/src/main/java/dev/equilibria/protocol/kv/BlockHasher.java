package dev.equilibria.protocol.kv;

/**
 * Hashes token ids into chained 64-bit KV block hashes: block {@code i}'s hash covers its tokens and the hash of
 * block {@code i-1}, so two prompts that share their first {@code k} blocks share exactly their first {@code k}
 * hashes and differ from there on. Only full blocks are hashed: a partial last block cannot be reused by a
 * different prompt, as in vLLM's prefix cache.
 *
 * <p>Within a block the tokens go round-robin into {@link #LANES} independent multiply-rotate chains, which are then
 * folded into one value in lane order and finalised. One chain per block would be bound by the latency of its
 * multiply (about 1.5 ns a token); independent lanes let the CPU overlap them, which makes hashing an 8k-token
 * prompt 2.5 times faster or more ({@code RoutingDecisionBenchmark.hashOnly}). Every step is a bijection of the lane's state for a given token, and the fold is
 * a bijection of each lane, so two blocks with the same parent that differ in one token never collide.
 *
 * <p>Engine, gateway, simulator and trace expansion all hash through this class, so they always agree. Changing the
 * function changes every hash on the wire: a fleet must not mix builds with different versions of it.
 */
public final class BlockHasher {

    /** Default {@code block_size} in tokens. */
    public static final int DEFAULT_BLOCK_SIZE = 64;
    /** The Mooncake trace's block size; ours must divide it so trace blocks map onto whole blocks of ours. */
    public static final int TRACE_BLOCK_SIZE = 512;
    /** Parent of the first block of every prompt. */
    public static final long ROOT_HASH = 0x6a09e667f3bcc908L;

    /** Independent chains per block: enough to keep the multiplier busy while each waits on its last product. */
    static final int LANES = 4;

    private static final long MULTIPLIER = 0x9e3779b97f4a7c15L;
    /** Distinct starting states of lanes b, c and d (digits of sqrt(3), sqrt(5), sqrt(7)), so lanes are not alike. */
    private static final long LANE_SEED_B = 0xbb67ae8584caa73bL;
    private static final long LANE_SEED_C = 0x3c6ef372fe94f82bL;
    private static final long LANE_SEED_D = 0xa54ff53a5f1d36f1L;

    private final int blockSize;

    public BlockHasher(int blockSize) {
        if (blockSize <= 0 || TRACE_BLOCK_SIZE % blockSize != 0) {
            throw new IllegalArgumentException("block_size must be a positive divisor of " + TRACE_BLOCK_SIZE
                    + " (1, 2, 4, ..., 512), got " + blockSize);
        }
        this.blockSize = blockSize;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Number of full blocks in a prompt of the given length. */
    public int fullBlocks(int tokens) {
        return tokens / blockSize;
    }

    /** Number of blocks, the partial last one included, that a sequence of the given length occupies. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /** Hashes of every full block of {@code tokens}, in order. */
    public long[] hash(int[] tokens) {
        return hash(tokens, tokens.length);
    }

    /** Hashes of every full block among the first {@code length} tokens. */
    public long[] hash(int[] tokens, int length) {
        int blocks = length / blockSize;
        long[] hashes = new long[blocks];
        long parent = ROOT_HASH;
        for (int b = 0; b < blocks; b++) {
            parent = hashBlock(parent, tokens, b * blockSize);
            hashes[b] = parent;
        }
        return hashes;
    }

    /** Hash of the block starting at {@code offset}, chained to {@code parent}. */
    public long hashBlock(long parent, int[] tokens, int offset) {
        int end = offset + blockSize;
        if (offset < 0 || end > tokens.length) {
            throw new IndexOutOfBoundsException("block [" + offset + ", " + end + ") of " + tokens.length + " tokens");
        }
        long seed = parent ^ (blockSize * MULTIPLIER);
        long a = seed;
        long b = seed ^ LANE_SEED_B;
        long c = seed ^ LANE_SEED_C;
        long d = seed ^ LANE_SEED_D;
        int i = offset;
        for (; i + LANES <= end; i += LANES) {
            a = step(a, tokens[i]);
            b = step(b, tokens[i + 1]);
            c = step(c, tokens[i + 2]);
            d = step(d, tokens[i + 3]);
        }
        for (; i < end; i++) { // blocks of 1 or 2 tokens
            a = step(a, tokens[i]);
        }
        return finalizeHash(step(step(step(step(seed, a), b), c), d));
    }

    /** One multiply-rotate step: for a given {@code x}, a bijection of {@code h}, and for a given h, one of x. */
    private static long step(long h, long x) {
        return Long.rotateLeft((h ^ x) * MULTIPLIER, 29);
    }

    /** MurmurHash3's 64-bit finaliser: spreads every input bit over the whole hash. */
    private static long finalizeHash(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
