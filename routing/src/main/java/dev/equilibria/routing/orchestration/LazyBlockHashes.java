package dev.equilibria.routing.orchestration;

import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.index.PrefixHashes;
import java.util.function.LongSupplier;

/**
 * A prompt's chained block hashes, computed on demand in growing batches: a longest-prefix lookup that stops after a
 * few blocks never pays for hashing the rest of a long prompt. Also counts the time spent hashing, for the router's
 * hash-phase metric. Not safe for concurrent use; a request is routed by one thread at a time.
 */
final class LazyBlockHashes implements PrefixHashes {

    /** Blocks hashed by the first batch; each later batch doubles what is computed. */
    static final int FIRST_BATCH = 8;

    private final BlockHasher hasher;
    private final int[] tokens;
    private final long[] hashes;
    private final LongSupplier ticker;
    private int computed;
    private long hashNanos;

    LazyBlockHashes(BlockHasher hasher, int[] tokens, LongSupplier ticker) {
        this.hasher = hasher;
        this.tokens = tokens;
        this.hashes = new long[hasher.fullBlocks(tokens.length)];
        this.ticker = ticker;
    }

    @Override
    public int length() {
        return hashes.length;
    }

    @Override
    public long hash(int i) {
        if (i >= computed) {
            extend(i);
        }
        return hashes[i];
    }

    /** Every hash (hashing whatever is left). */
    long[] all() {
        if (computed < hashes.length) {
            extend(hashes.length - 1);
        }
        return hashes;
    }

    /** Time spent hashing so far. */
    long hashNanos() {
        return hashNanos;
    }

    private void extend(int i) {
        long start = ticker.getAsLong();
        int target = Math.min(hashes.length, Math.max(i + 1, Math.max(FIRST_BATCH, computed * 2)));
        long parent = computed == 0 ? BlockHasher.ROOT_HASH : hashes[computed - 1];
        int blockSize = hasher.blockSize();
        for (int b = computed; b < target; b++) {
            parent = hasher.hashBlock(parent, tokens, b * blockSize);
            hashes[b] = parent;
        }
        computed = target;
        hashNanos += ticker.getAsLong() - start;
    }
}
