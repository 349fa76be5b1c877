package dev.equilibria.engine.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockManagerTest {

    private final List<String> events = new ArrayList<>();
    private final KvEventSink sink = new KvEventSink() {
        @Override
        public void stored(Long parentHash, List<Long> blockHashes) {
            events.add("stored " + parentHash + " " + blockHashes);
        }

        @Override
        public void removed(List<Long> blockHashes) {
            events.add("removed " + blockHashes);
        }

        @Override
        public void cleared() {
            events.add("cleared");
        }
    };

    @Test
    void evictsTheLeastRecentlyUsedCachedBlocksFirst() {
        BlockManager blocks = new BlockManager(4, 16, sink);
        BlockTable a = blocks.allocate(new long[] {1, 2}, 32);
        blocks.commit(a, new long[] {1, 2});
        BlockTable b = blocks.allocate(new long[] {3, 4}, 32);
        blocks.commit(b, new long[] {3, 4});
        blocks.free(b); // b's blocks become evictable first...
        blocks.free(a); // ...then a's

        BlockTable c = blocks.allocate(new long[] {9}, 16);

        assertThat(c).isNotNull();
        assertThat(events).last().isEqualTo("removed [4]"); // free() queues a sequence's tail before its head
        assertThat(blocks.cachedPrefixBlocks(new long[] {1, 2})).isEqualTo(2);
        assertThat(blocks.cachedPrefixBlocks(new long[] {3})).isEqualTo(1);
    }

    @Test
    void reusingACachedPrefixTakesItOutOfTheEvictionPool() {
        BlockManager blocks = new BlockManager(3, 16, sink);
        BlockTable a = blocks.allocate(new long[] {1, 2}, 40);
        blocks.commit(a, new long[] {1, 2});
        blocks.free(a);

        BlockTable b = blocks.allocate(new long[] {1, 2}, 40);

        assertThat(b.cachedTokens()).isEqualTo(32);
        assertThat(blocks.usedBlocks()).isEqualTo(3);
        assertThat(blocks.allocate(new long[] {7}, 16)).as("nothing left to evict").isNull();
    }

    @Test
    void aFullyCachedPromptStillRecomputesItsLastBlockForLogits() {
        BlockManager blocks = new BlockManager(8, 16, sink);
        BlockTable a = blocks.allocate(new long[] {1, 2}, 32);
        blocks.commit(a, new long[] {1, 2});
        blocks.free(a);

        BlockTable b = blocks.allocate(new long[] {1, 2}, 32);

        assertThat(b.cachedTokens()).isEqualTo(16);
    }

    @Test
    void reportsStoredBlocksChainedToTheirParent() {
        BlockManager blocks = new BlockManager(8, 16, sink);
        BlockTable a = blocks.allocate(new long[0], 40);

        blocks.commit(a, new long[] {5});
        blocks.commit(a, new long[] {5, 6});

        assertThat(events).containsExactly("stored null [5]", "stored 5 [6]");
    }

    @Test
    void aFailedAllocationChangesNothing() {
        BlockManager blocks = new BlockManager(2, 16, sink);
        BlockTable a = blocks.allocate(new long[] {1}, 16);
        blocks.commit(a, new long[] {1});
        blocks.free(a);

        assertThat(blocks.allocate(new long[0], 48)).isNull();

        assertThat(blocks.cachedBlocks()).isEqualTo(1);
        assertThat(blocks.availableBlocks()).isEqualTo(2);
        assertThat(events).noneMatch(e -> e.startsWith("removed"));
    }
}
