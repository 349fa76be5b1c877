package dev.equilibria.engine.kv;

import dev.equilibria.protocol.kv.BlockHasher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fixed pool of KV blocks with prefix caching, as in vLLM: full blocks are registered under their chained hash,
 * a block freed by its last sequence stays cached in an LRU pool until its memory is needed, and a later sequence
 * with the same prefix takes it back instead of recomputing it. Every registration and eviction is reported to the
 * {@link KvEventSink} so a router can mirror the cache. Not thread-safe: one worker's engine owns it.
 */
public final class BlockManager {

    private final int blockSize;
    private final Block[] blocks;
    private final ArrayDeque<Block> free = new ArrayDeque<>();
    /** Freed blocks that still hold reusable KV, least recently used first. */
    private final LruList evictable = new LruList();
    private final HashToBlock cached;
    private final KvEventSink sink;

    public BlockManager(int numBlocks, int blockSize, KvEventSink sink) {
        this.blockSize = blockSize;
        this.blocks = new Block[numBlocks];
        for (int i = 0; i < numBlocks; i++) {
            blocks[i] = new Block(i);
            free.add(blocks[i]);
        }
        this.sink = sink;
        this.cached = new HashToBlock(numBlocks);
    }

    public int blockSize() {
        return blockSize;
    }

    public int totalBlocks() {
        return blocks.length;
    }

    /** Blocks that can be handed out now: never used, or cached but unreferenced. */
    public int availableBlocks() {
        return free.size() + evictable.size();
    }

    /** Blocks referenced by running sequences. */
    public int usedBlocks() {
        return blocks.length - availableBlocks();
    }

    public int cachedBlocks() {
        return cached.size();
    }

    /** Number of leading hashes cached here, without touching anything. */
    public int cachedPrefixBlocks(long[] hashes) {
        return cachedPrefixBlocks(hashes, hashes.length);
    }

    /** Number of leading hashes among the first {@code count} of {@code hashes} cached here. */
    public int cachedPrefixBlocks(long[] hashes, int count) {
        int n = 0;
        while (n < count && cached.containsKey(hashes[n])) {
            n++;
        }
        return n;
    }

    /** Blocks a new sequence of {@code tokens} would need beyond its cached prefix. */
    public int blocksNeeded(long[] fullHashes, int tokens) {
        return ceilDiv(tokens, blockSize) - cachedPrefixBlocks(fullHashes);
    }

    /**
     * Takes the cached prefix and enough fresh blocks for {@code tokens} tokens, or returns null (and changes nothing)
     * when the pool cannot hold them.
     */
    public BlockTable allocate(long[] fullHashes, int tokens) {
        return allocate(fullHashes, fullHashes.length, tokens, tokens);
    }

    /**
     * As {@link #allocate(long[], int)} over the first {@code hashCount} entries of {@code fullHashes}, reserving
     * room for {@code tokens} tokens of which only the first {@code contextTokens} exist yet (the whole sequence
     * reserved up front): the last existing token is never taken from the cache.
     */
    public BlockTable allocate(long[] fullHashes, int hashCount, int tokens, int contextTokens) {
        int cachedPrefix = cachedPrefixBlocks(fullHashes, hashCount);
        int total = ceilDiv(tokens, blockSize);
        // a fully cached prompt still recomputes its last token to produce logits, as vLLM does
        if (cachedPrefix * blockSize >= contextTokens && cachedPrefix > 0) {
            cachedPrefix--;
        }
        int fresh = total - cachedPrefix;
        int reclaimable = free.size() + evictable.size();
        for (int i = 0; i < cachedPrefix; i++) {
            if (cached.get(fullHashes[i]).refCount == 0) {
                reclaimable--; // taking it back removes it from the evictable pool
            }
        }
        if (fresh > reclaimable) {
            return null;
        }
        BlockTable table = new BlockTable();
        for (int i = 0; i < cachedPrefix; i++) {
            Block block = cached.get(fullHashes[i]);
            acquire(block);
            table.blocks.add(block);
        }
        table.hashedBlocks = cachedPrefix;
        table.lastHash = cachedPrefix == 0 ? BlockHasher.ROOT_HASH : fullHashes[cachedPrefix - 1];
        table.cachedTokens = cachedPrefix * blockSize;
        List<Long> evicted = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
            table.blocks.add(takeFresh(evicted));
        }
        reportRemoved(evicted);
        return table;
    }

    /** Grows a table so it holds {@code tokens} tokens; false (and no change) when the pool is exhausted. */
    public boolean ensureCapacity(BlockTable table, int tokens) {
        int needed = ceilDiv(tokens, blockSize) - table.blocks.size();
        if (needed <= 0) {
            return true;
        }
        if (needed > availableBlocks()) {
            return false;
        }
        List<Long> evicted = new ArrayList<>();
        for (int i = 0; i < needed; i++) {
            table.blocks.add(takeFresh(evicted));
        }
        reportRemoved(evicted);
        return true;
    }

    /**
     * Registers the table's newly full blocks in the prefix cache, so later sequences can reuse them.
     *
     * @param fullHashes chained hashes of every full block of the sequence's tokens computed so far
     */
    public void commit(BlockTable table, long[] fullHashes) {
        commit(table, fullHashes, fullHashes.length);
    }

    /** {@link #commit(BlockTable, long[])} over the first {@code hashCount} entries of {@code fullHashes}. */
    public void commit(BlockTable table, long[] fullHashes, int hashCount) {
        int upTo = Math.min(hashCount, table.blocks.size());
        if (upTo <= table.hashedBlocks) {
            return;
        }
        Long parent = table.hashedBlocks == 0 ? null : table.lastHash;
        List<Long> stored = new ArrayList<>();
        for (int i = table.hashedBlocks; i < upTo; i++) {
            Block block = table.blocks.get(i);
            long hash = fullHashes[i];
            Block existing = cached.get(hash);
            if (existing != null && existing != block) {
                // another sequence computed the same block concurrently: keep ours private, theirs cached
                continue;
            }
            if (!block.hashed) {
                block.hashed = true;
                block.hash = hash;
                cached.put(hash, block);
                stored.add(hash);
            }
        }
        table.hashedBlocks = upTo;
        table.lastHash = fullHashes[upTo - 1];
        if (!stored.isEmpty()) {
            sink.stored(parent, stored);
        }
    }

    /** Releases a sequence's blocks; cached ones stay reusable until evicted. */
    public void free(BlockTable table) {
        // release tail first so the prompt's leading blocks, most likely to be shared, are evicted last
        for (int i = table.blocks.size() - 1; i >= 0; i--) {
            Block block = table.blocks.get(i);
            if (--block.refCount == 0) {
                if (block.hashed) {
                    evictable.addLast(block);
                } else {
                    free.add(block);
                }
            }
        }
        table.blocks.clear();
        table.hashedBlocks = 0;
    }

    /** Every cached hash, for a snapshot that lets a reader rebuild its mirror after a gap. */
    public List<Long> cachedHashes() {
        return Collections.unmodifiableList(cached.keys());
    }

    /** Drops every unreferenced cached block (for example before a role switch). */
    public void clearCache() {
        for (Block block = evictable.pollFirst(); block != null; block = evictable.pollFirst()) {
            cached.remove(block.hash);
            block.hashed = false;
            free.add(block);
        }
        sink.cleared();
        if (cached.size() > 0) {
            sink.stored(null, cached.keys());
        }
    }

    private void acquire(Block block) {
        if (block.refCount++ == 0) {
            evictable.remove(block);
        }
    }

    private Block takeFresh(List<Long> evicted) {
        Block block = free.poll();
        if (block == null) {
            block = evictable.pollFirst();
            cached.remove(block.hash);
            evicted.add(block.hash);
            block.hashed = false;
        }
        block.refCount = 1;
        return block;
    }

    private void reportRemoved(List<Long> evicted) {
        if (!evicted.isEmpty()) {
            sink.removed(evicted);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
