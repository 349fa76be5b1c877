package dev.equilibria.routing.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.registry.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KvEventIndexTest {

    private static final int BLOCK = 16;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final KvEventIndex index = new KvEventIndex(clock);

    /**
     * Property: fed the events of real engines (prefix-sharing prompts, a small KV pool so blocks are evicted), the
     * index holds exactly each engine's cache after every step, and its overlap for any prompt equals the engine's
     * own cached prefix; a dropped event is noticed, and the snapshot it asks for restores the exact mirror.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void mirrorsRealEnginesThroughEventsAGapAndAResync(long seed) {
        Random random = new Random(seed);
        List<EngineWorker> workers = List.of(new EngineWorker("w0", BLOCK, 60, seed),
                new EngineWorker("w1", BLOCK, 90, seed + 1));
        int[][] prefixes = IntStream.range(0, 5).mapToObj(i -> random.ints(BLOCK * (1 + random.nextInt(5)), 0, 5000)
                .toArray()).toArray(int[][]::new);
        boolean gapSeen = false;
        for (int step = 0; step < 400; step++) {
            for (EngineWorker w : workers) {
                if (random.nextInt(3) == 0) {
                    w.submit(prompt(random, prefixes), 1 + random.nextInt(30));
                }
                w.step();
                List<KvEvent> events = w.drain();
                boolean dropOne = !gapSeen && step >= 200 && w.id.equals("w1") && events.size() >= 2;
                for (int e = 0; e < events.size(); e++) {
                    if (dropOne && e == 0) {
                        continue; // lost on the way: the next event shows a gap
                    }
                    KvApplyResult result = index.apply(events.get(e));
                    if (dropOne) {
                        assertThat(result).isEqualTo(KvApplyResult.OUT_OF_SYNC);
                        gapSeen = true;
                    }
                }
                if (dropOne) {
                    assertThat(index.synced("w1")).contains(false);
                    assertThat(index.snapshotsDue()).containsExactly("w1");
                    w.snapshot(); // the worker answers the kv_snapshot command
                    w.drain().forEach(index::apply);
                    assertThat(index.synced("w1")).contains(true);
                }
                assertThat(new HashSet<>(index.blocksOf(w.id))).as("%s at step %d", w.id, step)
                        .isEqualTo(w.cached());
            }
            int[] probe = prompt(random, prefixes);
            long[] hashes = new BlockHasher(BLOCK).hash(probe);
            int[] overlaps = index.overlaps(hashes, List.of("w0", "w1"));
            for (int i = 0; i < workers.size(); i++) {
                assertThat(overlaps[i]).isEqualTo(workers.get(i).engine.cachedPrefixBlocks(hashes));
            }
        }
        assertThat(gapSeen).isTrue();
    }

    @Test
    void ignoresRedeliveredEvents() {
        index.apply(new KvEvent.AllCleared("w", 1, 0));
        index.apply(new KvEvent.BlocksStored("w", 2, 0, null, List.of(10L, 11L)));
        index.apply(new KvEvent.BlocksRemoved("w", 3, 0, List.of(11L)));

        assertThat(index.apply(new KvEvent.BlocksStored("w", 2, 0, null, List.of(10L, 11L))))
                .isEqualTo(KvApplyResult.DUPLICATE);
        assertThat(index.blocksOf("w")).containsExactly(10L);
        assertThat(index.lastSeq("w")).isEqualTo(3);
    }

    @Test
    void aRestartedWorkersFirstClearResetsItsMirror() {
        index.apply(new KvEvent.AllCleared("w", 1, 0));
        index.apply(new KvEvent.BlocksStored("w", 2, 0, null, List.of(10L)));
        index.apply(new KvEvent.AllCleared("w", 1, 0)); // restarted: sequence numbers start over

        assertThat(index.blocksOf("w")).isEmpty();
        assertThat(index.apply(new KvEvent.BlocksStored("w", 2, 0, null, List.of(12L))))
                .isEqualTo(KvApplyResult.APPLIED);
        assertThat(index.blocksOf("w")).containsExactly(12L);
    }

    @Test
    void aWorkerFirstHeardMidStreamIsOutOfSyncUntilItsSnapshot() {
        assertThat(index.apply(new KvEvent.BlocksStored("w", 57, 0, null, List.of(1L))))
                .isEqualTo(KvApplyResult.OUT_OF_SYNC);
        assertThat(index.snapshotsDue()).containsExactly("w");

        index.apply(new KvEvent.AllCleared("w", 58, 0));
        index.apply(new KvEvent.BlocksStored("w", 59, 0, null, List.of(1L, 2L)));

        assertThat(index.synced("w")).contains(true);
        assertThat(index.snapshotsDue()).isEmpty();
        assertThat(index.cachedBlocks("w")).isEqualTo(2);
    }

    @Test
    void asksForASnapshotAgainOnlyAfterTheRetryInterval() {
        index.apply(new KvEvent.BlocksStored("w", 5, 0, null, List.of(1L)));
        assertThat(index.snapshotsDue()).containsExactly("w");

        clock.advance(KvEventIndex.DEFAULT_SNAPSHOT_RETRY.minusMillis(1));
        assertThat(index.snapshotsDue()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(index.snapshotsDue()).containsExactly("w");
    }

    @Test
    void reconcileDropsLostWorkersAndAsksNewOnesForTheirCache() {
        index.apply(new KvEvent.AllCleared("gone", 1, 0));
        index.apply(new KvEvent.BlocksStored("gone", 2, 0, null, List.of(1L, 2L)));
        index.apply(new KvEvent.AllCleared("stays", 1, 0));

        assertThat(index.reconcile(Set.of("stays", "new"))).containsExactly("gone");

        assertThat(index.overlaps(new long[] {1, 2}, List.of("gone"))).containsExactly(0);
        assertThat(index.distinctBlocks()).isZero();
        assertThat(index.snapshotsDue()).containsExactly("new");
        assertThat(index.blockCounts()).containsOnlyKeys("new", "stays");
    }

    @Test
    void whileStaleRoutingDecisionsAddToTheMirrorAndAreDroppedWhenEventsFlowAgain() {
        index.apply(new KvEvent.AllCleared("a", 1, 0));
        index.apply(new KvEvent.BlocksStored("a", 2, 0, null, List.of(1L)));
        index.apply(new KvEvent.AllCleared("b", 1, 0));
        List<String> workers = List.of("a", "b");

        index.onRouted("b", new long[] {7, 8}); // fresh: the events are the truth
        assertThat(index.overlaps(new long[] {7, 8}, workers)).containsExactly(0, 0);

        index.markStale();
        assertThat(index.stale()).isTrue();
        index.onRouted("b", new long[] {7, 8});
        index.onRouted("a", new long[] {1});
        assertThat(index.overlaps(new long[] {7, 8, 9}, workers)).containsExactly(0, 2);
        assertThat(index.overlaps(new long[] {1, 2}, workers)).containsExactly(1, 0);

        index.markFresh();
        assertThat(index.stale()).isFalse();
        assertThat(index.overlaps(new long[] {7, 8, 9}, workers)).containsExactly(0, 0);
        assertThat(index.overlaps(new long[] {1, 2}, workers)).containsExactly(1, 0);
    }

    @Test
    void rejectsANonPositiveRetry() {
        assertThatThrownBy(() -> new KvEventIndex(clock, Duration.ZERO)).hasMessageContaining("snapshot_retry");
    }

    private static int[] prompt(Random random, int[][] prefixes) {
        int[] prefix = prefixes[random.nextInt(prefixes.length)];
        return IntStream.concat(IntStream.of(prefix), random.ints(1 + random.nextInt(40), 0, 5000)).toArray();
    }
}
