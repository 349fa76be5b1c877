package dev.equilibria.routing.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.index.ApproximateKvIndex;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.Reservation;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.policy.RoutingWeights;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.TestClock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LegRouterTest {

    private static final int BLOCK = 64;

    private final TestClock clock = new TestClock(Instant.ofEpochMilli(5_000));
    private final KvEventIndex index = new KvEventIndex(clock);
    private final LoadLedger ledger = new LoadLedger("gw-test", clock);
    private final AtomicLong ticks = new AtomicLong();
    private final LegRouter router = new LegRouter(index, ledger, new RoutingWeights(), new SplittableRandom(1),
            () -> ticks.addAndGet(1_000), clock);
    private final List<LiveWorker> pool = List.of(worker("p0"), worker("p1"));

    @Test
    void routesToTheCachedPrefixAndLogsEveryCandidatesTerms() {
        int[] prompt = IntStream.range(0, 10 * BLOCK).toArray(); // 10 blocks
        long[] hashes = new BlockHasher(BLOCK).hash(prompt);
        index.apply(new KvEvent.AllCleared("p1", 1, 0));
        index.apply(new KvEvent.BlocksStored("p1", 2, 0, null, Arrays.stream(hashes).limit(6).boxed().toList()));
        ledger.reserve("p1", 2 * BLOCK, 3); // 2 blocks queued, 3 decoding
        RouteRequest request = new RouteRequest("r-1", "m", prompt, 16);

        RoutedLeg routed = router.route(WorkerRole.PREFILL, request, pool, PolicySettings.DEFAULTS);

        // c_p0 = 1 * (10 + 0) + 0 = 10; c_p1 = 1 * ((10 - 6) + 2) + 3 = 9
        assertThat(routed.workerId()).isEqualTo("p1");
        RoutingDecision decision = routed.decision();
        assertThat(decision.requestId()).isEqualTo("r-1");
        assertThat(decision.gatewayId()).isEqualTo("gw-test");
        assertThat(decision.timestampMs()).isEqualTo(5_000);
        assertThat(decision.leg()).isEqualTo(RoutingLeg.PREFILL);
        assertThat(decision.chosenWorker()).isEqualTo("p1");
        assertThat(decision.settings()).isEqualTo(new RouterSettings("kv", 1.0, 0.0));
        assertThat(decision.promptTokens()).isEqualTo(640);
        assertThat(decision.requestBlocks()).isEqualTo(10);
        assertThat(decision.maxTokens()).isEqualTo(16);
        assertThat(decision.candidates()).containsExactly(
                new CandidateCost("p0", 0, 10, 0, 10),
                new CandidateCost("p1", 6, 6, 3, 9));
        // ticks: start, one hashing batch (8 blocks: the lookup stops after block 6), lookup done, select done
        assertThat(routed.hashNanos()).isEqualTo(1_000);
        assertThat(routed.lookupNanos()).isEqualTo(2_000);
        assertThat(routed.selectNanos()).isEqualTo(1_000);
    }

    @Test
    void reservesUncachedPrefillTokensAndPromptBlocks() {
        int[] prompt = IntStream.range(0, 200).toArray();
        index.apply(new KvEvent.AllCleared("p0", 1, 0));
        index.apply(new KvEvent.BlocksStored("p0", 2, 0, null,
                Arrays.stream(new BlockHasher(BLOCK).hash(prompt)).limit(2).boxed().toList()));
        index.apply(new KvEvent.AllCleared("p1", 1, 0));
        RouteRequest request = new RouteRequest("r", "m", prompt, 4);
        RoutedLeg routed = router.route(WorkerRole.AGGREGATED, request, List.of(worker("p0")),
                PolicySettings.DEFAULTS);

        Reservation both = router.reserve(routed, request, true, true);

        assertThat(ledger.load("p0")).isEqualTo(new WorkerLoad(200 - 128, 4, 1));
        both.prefillDone();
        assertThat(ledger.load("p0")).isEqualTo(new WorkerLoad(0, 4, 1));
        both.release();
        assertThat(ledger.load("p0")).isEqualTo(WorkerLoad.NONE);
    }

    @Test
    void theApproximateIndexLearnsFromTheRoutersOwnDecisions() {
        LegRouter approximate = new LegRouter(new ApproximateKvIndex(clock), ledger, new RoutingWeights(),
                new SplittableRandom(2), System::nanoTime, clock);
        int[] prompt = IntStream.range(0, 4 * BLOCK).toArray();

        String first = approximate.route(WorkerRole.PREFILL, new RouteRequest("a", "m", prompt, 2), pool,
                PolicySettings.DEFAULTS).workerId();
        for (int i = 0; i < 5; i++) {
            RoutedLeg again = approximate.route(WorkerRole.PREFILL, new RouteRequest("b" + i, "m", prompt, 2), pool,
                    PolicySettings.DEFAULTS);
            assertThat(again.workerId()).isEqualTo(first);
            // all 4 blocks cached; the engine recomputes the last one
            assertThat(again.chosen().overlapBlocks()).isEqualTo(3);
        }
    }

    @Test
    void workersWithAnotherBlockSizeAreMatchedWithTheirOwnHashes() {
        LiveWorker small = worker("s0", 16);
        int[] prompt = IntStream.range(0, 80).toArray(); // 5 blocks of 16, 1.25 of 64
        index.apply(new KvEvent.AllCleared("s0", 1, 0));
        index.apply(new KvEvent.BlocksStored("s0", 2, 0, null,
                Arrays.stream(new BlockHasher(16).hash(prompt)).boxed().toList()));

        RoutedLeg routed = router.route(WorkerRole.PREFILL, new RouteRequest("r", "m", prompt, 2),
                List.of(worker("p0"), small), PolicySettings.DEFAULTS);

        // c_p0 = 1.25; c_s0 = 5 - 4 = 1 (5 blocks cached, the last one recomputed)
        assertThat(routed.workerId()).isEqualTo("s0");
        assertThat(routed.chosen().overlapBlocks()).isEqualTo(4);
        assertThat(routed.cachedTokens(80)).isEqualTo(64);
    }

    @Test
    void aFullyCachedPromptStillCostsItsLastBlockWhereItIsPrefilledButNotWhereItIsDecoded() {
        int[] prompt = IntStream.range(0, 2 * BLOCK).toArray(); // exactly 2 blocks, both cached on p0
        index.apply(new KvEvent.AllCleared("p0", 1, 0));
        index.apply(new KvEvent.BlocksStored("p0", 2, 0, null,
                Arrays.stream(new BlockHasher(BLOCK).hash(prompt)).boxed().toList()));
        RouteRequest request = new RouteRequest("r", "m", prompt, 8);

        RoutedLeg prefill = router.route(WorkerRole.PREFILL, request, pool, PolicySettings.DEFAULTS);
        router.reserve(prefill, request, true, false);

        // the engine computes at least the last prompt token, and cache hits come in whole blocks: 1 of 2 blocks
        assertThat(prefill.decision().candidates()).containsExactly(
                new CandidateCost("p0", 1, 1, 0, 1),
                new CandidateCost("p1", 0, 2, 0, 2));
        assertThat(ledger.load("p0").prefillTokens()).as("the warm worker's queue holds real work").isEqualTo(BLOCK);
        // a second copy of the prompt: p0 now has one block queued as well, so the cold worker ties it
        RoutedLeg second = router.route(WorkerRole.PREFILL, new RouteRequest("r2", "m", prompt, 8), pool,
                PolicySettings.DEFAULTS);
        assertThat(second.decision().candidates()).extracting(CandidateCost::cost).containsExactly(2.0, 2.0);

        // a decode leg receives the prompt and the first token, so the whole cached prompt is skipped there
        RoutedLeg decode = router.route(WorkerRole.DECODE, request, pool, PolicySettings.DEFAULTS);
        assertThat(decode.decision().candidates().get(0).overlapBlocks()).isEqualTo(2);
        assertThat(LegRouter.usableOverlap(WorkerRole.AGGREGATED, 130, 2, BLOCK)).isEqualTo(2);
        assertThat(LegRouter.usableOverlap(WorkerRole.PREFILL, 0, 0, BLOCK)).isZero();
    }

    private static LiveWorker worker(String id) {
        return worker(id, BLOCK);
    }

    private static LiveWorker worker(String id, int blockSize) {
        return new LiveWorker(new WorkerHeartbeat(id, WorkerRole.PREFILL, "http://h:1", "m",
                new WorkerCapacity(64, 8192, 1000, blockSize, 8192), false, 0), Instant.EPOCH, Instant.EPOCH);
    }
}
