package dev.equilibria.engine.kv;

import java.util.ArrayList;
import java.util.List;

/** The blocks one sequence holds, in order, and how many of them are registered in the prefix cache. */
public final class BlockTable {

    final List<Block> blocks = new ArrayList<>();
    /** Leading blocks whose hash is registered in the prefix cache. */
    int hashedBlocks;
    /** Hash of the last registered block, the parent of the next one. */
    long lastHash;
    /** Prompt tokens found in the cache when the sequence was allocated. */
    int cachedTokens;

    public int size() {
        return blocks.size();
    }

    public int cachedTokens() {
        return cachedTokens;
    }

    public int hashedBlocks() {
        return hashedBlocks;
    }
}
