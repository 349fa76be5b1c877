package dev.equilibria.protocol.kv;

/**
 * Hashes token ids into chained 64-bit KV block hashes: block {@code i}'s hash covers its tokens and the hash of
 * block {@code i-1}, so two prompts that share their first {@code k} blocks share exactly their first {@code k}
 * hashes and differ from there on. Only full blocks are hashed: a partial last block cannot be reused by a
 * different prompt, as in vLLM's prefix cache.
 */
public final class BlockHasher {

    /** Default {@code block_size} in tokens. */
    public static final int DEFAULT_BLOCK_SIZE = 64;
    /** The Mooncake trace's block size; ours must divide it so trace blocks map onto whole blocks of ours. */
    public static final int TRACE_BLOCK_SIZE = 512;
    /** Parent of the first block of every prompt. */
    public static final long ROOT_HASH = 0x6a09e667f3bcc908L;

    private static final long MULTIPLIER = 0x9e3779b97f4a7c15L;

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
        long h = parent ^ (blockSize * MULTIPLIER);
        for (int i = offset, end = offset + blockSize; i < end; i++) {
            h = Long.rotateLeft((h ^ tokens[i]) * MULTIPLIER, 29);
        }
        return finalizeHash(h);
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
