package dev.equilibria.protocol.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockHasherTest {

    private final BlockHasher hasher = new BlockHasher(BlockHasher.DEFAULT_BLOCK_SIZE);

    @Test
    void hashesOnlyFullBlocks() {
        assertThat(hasher.hash(tokens(63, 1))).isEmpty();
        assertThat(hasher.hash(tokens(64, 1))).hasSize(1);
        assertThat(hasher.hash(tokens(200, 1))).hasSize(3);
        assertThat(hasher.blocksFor(200)).isEqualTo(4);
    }

    @Test
    void isDeterministic() {
        assertThat(hasher.hash(tokens(1000, 7))).containsExactly(hasher.hash(tokens(1000, 7)));
    }

    @Test
    void promptsSharingKBlocksShareExactlyKHashes() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int sharedBlocks = random.nextInt(10);
            int[] a = tokens(64 * (sharedBlocks + 1 + random.nextInt(5)), random.nextLong());
            int[] b = tokens(64 * (sharedBlocks + 1 + random.nextInt(5)), random.nextLong());
            System.arraycopy(a, 0, b, 0, 64 * sharedBlocks);
            b[64 * sharedBlocks + random.nextInt(64)] = a[64 * sharedBlocks] + 1; // diverge inside block k

            long[] ha = hasher.hash(a);
            long[] hb = hasher.hash(b);

            assertThat(Arrays.copyOf(ha, sharedBlocks)).containsExactly(Arrays.copyOf(hb, sharedBlocks));
            for (int k = sharedBlocks; k < Math.min(ha.length, hb.length); k++) {
                assertThat(ha[k]).as("block %d after divergence", k).isNotEqualTo(hb[k]);
            }
        }
    }

    @Test
    void aBlockHashDependsOnItsWholePrefixNotOnlyItsTokens() {
        int[] a = tokens(128, 1);
        int[] b = tokens(128, 2);
        System.arraycopy(a, 64, b, 64, 64); // same second block, different first block

        assertThat(hasher.hash(a)[1]).isNotEqualTo(hasher.hash(b)[1]);
    }

    @Test
    void spreadsHashesWithoutCollisionsOnManyBlocks() {
        Set<Long> seen = new HashSet<>();
        long[] hashes = hasher.hash(tokens(64 * 100_000, 3));
        for (long h : hashes) {
            seen.add(h);
        }
        assertThat(seen).hasSize(hashes.length);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 64, 128, 512})
    void acceptsDivisorsOfTheTraceBlockSize(int blockSize) {
        assertThat(new BlockHasher(blockSize).blockSize()).isEqualTo(blockSize);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -64, 48, 100, 1024})
    void rejectsBlockSizesThatDoNotDivide512(int blockSize) {
        assertThatThrownBy(() -> new BlockHasher(blockSize))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block_size");
    }

    private static int[] tokens(int n, long seed) {
        Random random = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextInt(100_000);
        }
        return t;
    }
}
