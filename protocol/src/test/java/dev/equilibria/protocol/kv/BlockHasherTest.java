package dev.equilibria.protocol.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
    @ValueSource(ints = {1, 2, 4, 8, 64, 512})
    void hashingAPromptEqualsChainingItsBlocksOneByOne(int blockSize) {
        BlockHasher h = new BlockHasher(blockSize);
        int[] prompt = tokens(blockSize * 9 + blockSize / 2, 11);
        long[] all = h.hash(prompt);
        long parent = BlockHasher.ROOT_HASH;
        for (int b = 0; b < all.length; b++) {
            parent = h.hashBlock(parent, prompt, b * blockSize);
            assertThat(all[b]).isEqualTo(parent);
        }
        assertThat(all).hasSize(9);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 16, 64})
    void blocksThatDifferInOneTokenNeverCollide(int blockSize) {
        BlockHasher h = new BlockHasher(blockSize);
        Random random = new Random(blockSize);
        Collisions collisions = new Collisions(h, BlockHasher.ROOT_HASH);
        int[] base = tokens(blockSize, 5);
        collisions.add(base);
        for (int position = 0; position < blockSize; position++) {
            for (int value = 0; value < 1024; value++) { // small ids: the low bits alone
                collisions.add(withToken(base, position, value));
            }
            for (int k = 0; k < 256; k++) { // anywhere in a 128k vocabulary, and negative ids
                collisions.add(withToken(base, position, random.nextInt(128_256) - (k % 8 == 0 ? 1 << 20 : 0)));
            }
        }
        assertThat(collisions.count()).isZero();
    }

    @Test
    void similarBlocksDoNotCollide() {
        Collisions collisions = new Collisions(hasher, BlockHasher.ROOT_HASH);
        Random random = new Random(17);
        int[] base = tokens(64, 23);
        // every swap of two tokens, within a lane and across lanes
        for (int i = 0; i < 64; i++) {
            for (int j = i + 1; j < 64; j++) {
                collisions.add(swapped(base, i, j));
            }
        }
        // two tokens changed by the same small amount, at every pair of positions one to eight apart
        for (int i = 0; i < 64; i++) {
            for (int gap = 1; gap <= 8 && i + gap < 64; gap++) {
                for (int delta = 1; delta <= 16; delta++) {
                    int[] b = base.clone();
                    b[i] += delta;
                    b[i + gap] += delta;
                    collisions.add(b);
                    b = base.clone();
                    b[i] ^= delta;
                    b[i + gap] ^= delta;
                    collisions.add(b);
                }
            }
        }
        // rotations, counting sequences, one repeated token, sparse blocks of zeros
        for (int shift = 1; shift < 64; shift++) {
            int[] b = new int[64];
            for (int i = 0; i < 64; i++) {
                b[i] = base[(i + shift) % 64];
            }
            collisions.add(b);
        }
        for (int start = 0; start < 50_000; start++) {
            int[] counting = new int[64];
            int[] repeated = new int[64];
            for (int i = 0; i < 64; i++) {
                counting[i] = start + i;
                repeated[i] = start;
            }
            collisions.add(counting);
            collisions.add(repeated);
        }
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 64; j++) {
                int[] sparse = new int[64];
                sparse[i] = 1;
                sparse[j] += 1 + random.nextInt(3);
                collisions.add(sparse);
            }
        }
        assertThat(collisions.blocks()).isGreaterThan(100_000);
        assertThat(collisions.count()).isZero();
    }

    @Test
    void manyRandomPromptsWithSharedPrefixesCollideOnlyWhereTheyShareAPrefix() {
        Random random = new Random(99);
        int[][] systemPrompts = new int[8][];
        for (int s = 0; s < systemPrompts.length; s++) {
            systemPrompts[s] = tokens(64 * (1 + s), 1000 + s);
        }
        Map<Long, String> owner = new HashMap<>();
        int distinct = 0;
        for (int p = 0; p < 5_000; p++) {
            int[] prefix = systemPrompts[random.nextInt(systemPrompts.length)];
            int[] prompt = Arrays.copyOf(prefix, prefix.length + 64 * (1 + random.nextInt(40)));
            for (int i = prefix.length; i < prompt.length; i++) {
                prompt[i] = random.nextInt(128_256);
            }
            long[] hashes = hasher.hash(prompt);
            for (int b = 0; b < hashes.length; b++) {
                // a block is identified by the tokens up to its end: the shared prefix's blocks repeat, nothing else
                String id = b < prefix.length / 64 ? "prefix " + prefix.length + "/" + b : "prompt " + p + "/" + b;
                String previous = owner.putIfAbsent(hashes[b], id);
                if (previous == null) {
                    distinct++;
                } else {
                    assertThat(previous).as("hash %016x", hashes[b]).isEqualTo(id);
                }
            }
        }
        assertThat(distinct).isGreaterThan(100_000);
    }

    @Test
    void flippingOneInputBitFlipsAboutHalfTheOutputBits() {
        Random random = new Random(3);
        long tokenFlips = 0;
        long parentFlips = 0;
        int fewest = 64;
        int trials = 5_000;
        for (int t = 0; t < trials; t++) {
            int[] block = tokens(64, random.nextLong());
            long parent = random.nextLong();
            long h = hasher.hashBlock(parent, block, 0);
            parentFlips += Long.bitCount(h ^ hasher.hashBlock(parent ^ (1L << random.nextInt(64)), block, 0));
            block[random.nextInt(64)] ^= 1 << random.nextInt(17); // a bit of a token id in a 128k vocabulary
            int changed = Long.bitCount(h ^ hasher.hashBlock(parent, block, 0));
            fewest = Math.min(fewest, changed);
            tokenFlips += changed;
        }
        assertThat((double) tokenFlips / trials).isBetween(31.0, 33.0);
        assertThat((double) parentFlips / trials).isBetween(31.0, 33.0);
        assertThat(fewest).isGreaterThan(10);
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

    private static int[] withToken(int[] block, int position, int value) {
        int[] b = block.clone();
        b[position] = value;
        return b;
    }

    private static int[] swapped(int[] block, int i, int j) {
        int[] b = block.clone();
        int t = b[i];
        b[i] = b[j];
        b[j] = t;
        return b;
    }

    /** Hashes blocks under one parent and counts pairs of different blocks with the same hash. */
    private static final class Collisions {

        private final BlockHasher hasher;
        private final long parent;
        private final Map<Long, int[]> seen = new HashMap<>();
        private int count;

        Collisions(BlockHasher hasher, long parent) {
            this.hasher = hasher;
            this.parent = parent;
        }

        void add(int[] block) {
            int[] previous = seen.putIfAbsent(hasher.hashBlock(parent, block, 0), block);
            if (previous != null && !Arrays.equals(previous, block)) {
                count++;
            }
        }

        int blocks() {
            return seen.size();
        }

        int count() {
            return count;
        }
    }
}
