package dev.equilibria.routing.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockTableTest {

    @Test
    void overlapIsTheNumberOfLeadingHashesEachWorkerCaches() {
        BlockTable table = new BlockTable();
        int a = table.slot("a");
        int b = table.slot("b");
        for (long h : new long[] {1, 2, 3}) {
            table.store(a, h);
        }
        table.store(b, 1);
        table.store(b, 3); // not a prefix: 2 is missing

        assertThat(table.overlaps(new long[] {1, 2, 3, 4}, List.of("a", "b", "c"))).containsExactly(3, 1, 0);
        assertThat(table.overlaps(new long[] {9, 1}, List.of("a", "b"))).containsExactly(0, 0);
        assertThat(table.overlaps(new long[0], List.of("a"))).containsExactly(0);
    }

    @Test
    void droppingAWorkerForgetsItsBlocksAndReusesItsSlot() {
        BlockTable table = new BlockTable();
        table.store(table.slot("a"), 7);
        table.store(table.slot("b"), 7);
        table.drop("a");

        assertThat(table.slot("c")).isZero(); // a's slot, now empty
        assertThat(table.overlaps(new long[] {7}, List.of("b", "c", "a"))).containsExactly(1, 0, 0);
        assertThat(table.distinctBlocks()).isEqualTo(1);
    }

    /** Property: with more than 64 workers (several bitset words) the table answers like a naive scan. */
    @ParameterizedTest
    @ValueSource(ints = {3, 70, 150})
    void agreesWithANaiveScan(int workers) {
        Random random = new Random(workers);
        BlockTable table = new BlockTable();
        List<Set<Long>> naive = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            ids.add("w" + w);
            naive.add(new HashSet<>());
        }
        long[] chain = random.longs(40, 0, 60).toArray(); // a small key space: many shared and zero keys
        for (int op = 0; op < 20_000; op++) {
            int w = random.nextInt(workers);
            long hash = chain[random.nextInt(chain.length)];
            if (random.nextInt(3) > 0) {
                table.store(table.slot(ids.get(w)), hash);
                naive.get(w).add(hash);
            } else {
                table.remove(table.slot(ids.get(w)), hash);
                naive.get(w).remove(hash);
            }
            if (op % 500 == 0) {
                int from = random.nextInt(chain.length);
                long[] query = java.util.Arrays.copyOfRange(chain, from, chain.length);
                int[] overlaps = table.overlaps(query, ids);
                for (int i = 0; i < workers; i++) {
                    int expected = 0;
                    while (expected < query.length && naive.get(i).contains(query[expected])) {
                        expected++;
                    }
                    assertThat(overlaps[i]).as("worker %d", i).isEqualTo(expected);
                }
            }
        }
        for (int w = 0; w < workers; w++) {
            assertThat(table.cachedBlocks(ids.get(w))).isEqualTo(naive.get(w).size());
        }
    }
}
