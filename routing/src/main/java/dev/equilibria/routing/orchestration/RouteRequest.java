package dev.equilibria.routing.orchestration;

import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.index.PrefixHashes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the router knows about the request it places: its prompt, hashed into KV blocks on demand (once per block
 * size, since workers hash with their own engine's block size, and only as far as a lookup reads), and its output
 * budget. Routed by one thread at a time (legs are placed one after the other).
 */
public final class RouteRequest {

    private static final PrefixHashes NONE = PrefixHashes.of(new long[0]);

    private final String requestId;
    private final String model;
    private final int[] promptTokenIds;
    private final int maxTokens;
    private final Map<Integer, PrefixHashes> hashesByBlockSize = new HashMap<>(2);

    /**
     * @param promptTokenIds not copied; callers must not change it afterwards
     */
    public RouteRequest(String requestId, String model, int[] promptTokenIds, int maxTokens) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.model = Objects.requireNonNull(model, "model");
        this.promptTokenIds = Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        this.maxTokens = maxTokens;
    }

    public String requestId() {
        return requestId;
    }

    public String model() {
        return model;
    }

    public int[] promptTokenIds() {
        return promptTokenIds;
    }

    public int promptTokens() {
        return promptTokenIds.length;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /**
     * The prompt's chained block hashes at {@code blockSize}, computed as far as they are read; no blocks for a block
     * size {@link BlockHasher} refuses (such a worker can never share our prefix hashes).
     *
     * @param ticker times the hashing (the first caller's ticker is kept)
     */
    public synchronized PrefixHashes hashes(int blockSize, LongSupplier ticker) {
        return hashesByBlockSize.computeIfAbsent(blockSize, size -> {
            try {
                return new LazyBlockHashes(new BlockHasher(size), promptTokenIds, ticker);
            } catch (IllegalArgumentException unsupportedBlockSize) {
                return NONE;
            }
        });
    }

    /** Every block hash at {@code blockSize}. */
    public long[] blockHashes(int blockSize) {
        PrefixHashes hashes = hashes(blockSize, () -> 0);
        return hashes instanceof LazyBlockHashes lazy ? lazy.all() : new long[0];
    }

    /** Nanoseconds spent hashing this prompt so far, all block sizes together. */
    public synchronized long hashNanos() {
        long total = 0;
        for (PrefixHashes hashes : hashesByBlockSize.values()) {
            if (hashes instanceof LazyBlockHashes lazy) {
                total += lazy.hashNanos();
            }
        }
        return total;
    }
}
