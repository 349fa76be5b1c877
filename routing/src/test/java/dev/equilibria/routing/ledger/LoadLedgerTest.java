package dev.equilibria.routing.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.LedgerDelta;
import dev.equilibria.routing.registry.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoadLedgerTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoadLedger a = new LoadLedger("gw-a", clock);
    private final LoadLedger b = new LoadLedger("gw-b", clock);

    @Test
    void countsALegFromDispatchThroughFirstTokenToCompletion() {
        Reservation prefill = a.reserve("p0", 1000, 0);
        Reservation decode = a.reserve("d0", 0, 16);
        assertThat(a.load("p0")).isEqualTo(new WorkerLoad(1000, 0, 1));
        assertThat(a.load("d0")).isEqualTo(new WorkerLoad(0, 16, 1));

        prefill.prefillDone();
        assertThat(a.load("p0")).isEqualTo(new WorkerLoad(0, 0, 1));
        prefill.release();
        decode.release();

        assertThat(a.load("p0")).isEqualTo(WorkerLoad.NONE);
        assertThat(a.load("d0")).isEqualTo(WorkerLoad.NONE);
        assertThat(a.snapshot()).isEmpty();
    }

    @Test
    void everyStepIsIdempotentSoNoEndingCountsTwice() {
        Reservation r = a.reserve("w", 500, 8);
        a.reserve("w", 100, 2);

        r.prefillDone();
        r.prefillDone();
        r.release();
        r.release();
        r.prefillDone();

        assertThat(a.load("w")).isEqualTo(new WorkerLoad(100, 2, 1));
    }

    @Test
    void twoReplicasConvergeOnTheFleetsLoad() {
        Random random = new Random(5);
        List<Reservation> live = new ArrayList<>();
        for (int step = 0; step < 2000; step++) {
            LoadLedger self = random.nextBoolean() ? a : b;
            int op = random.nextInt(3);
            if (op == 0 || live.isEmpty()) {
                live.add(self.reserve("w" + random.nextInt(4), random.nextInt(2000), random.nextInt(40)));
            } else if (op == 1) {
                live.get(random.nextInt(live.size())).prefillDone();
            } else {
                live.remove(random.nextInt(live.size())).release();
            }
            if (random.nextInt(5) == 0) {
                exchange();
            }
            clock.advance(Duration.ofMillis(1));
        }
        exchange();

        assertThat(a.snapshot()).isEqualTo(b.snapshot());
        Map<String, WorkerLoad> expected = expected();
        assertThat(a.snapshot()).isEqualTo(expected);
        live.forEach(Reservation::release);
        exchange();
        assertThat(a.snapshot()).isEmpty();
        assertThat(b.snapshot()).isEmpty();
    }

    @Test
    void aLostDeltaIsRepairedByTheNextFullOne() {
        a.nextDelta().ifPresent(b::apply); // first delta is full
        a.reserve("w", 100, 0);
        a.nextDelta(); // lost
        assertThat(b.load("w")).isEqualTo(WorkerLoad.NONE);

        clock.advance(LoadLedger.DEFAULT_KEEPALIVE_INTERVAL);
        LedgerDelta keepalive = a.nextDelta().orElseThrow();

        assertThat(keepalive.full()).isTrue();
        assertThat(b.apply(keepalive)).isTrue();
        assertThat(b.load("w")).isEqualTo(new WorkerLoad(100, 0, 1));
    }

    @Test
    void sendsOnlyChangedWorkersAndNothingWhenIdleBetweenKeepalives() {
        a.nextDelta();
        a.reserve("w1", 10, 0);
        a.reserve("w2", 10, 0);
        a.nextDelta();
        a.reserve("w2", 5, 0);

        LedgerDelta delta = a.nextDelta().orElseThrow();
        assertThat(delta.full()).isFalse();
        assertThat(delta.workers()).containsExactly(new LedgerDelta.WorkerShare("w2", 15, 0, 2));
        assertThat(a.nextDelta()).isEmpty();
    }

    @Test
    void ignoresItsOwnAndOlderDeltas() {
        LedgerDelta first = a.nextDelta().orElseThrow();
        a.reserve("w", 1, 0);
        LedgerDelta second = a.nextDelta().orElseThrow();

        assertThat(a.apply(second)).isFalse();
        assertThat(b.apply(second)).isTrue();
        assertThat(b.apply(first)).isFalse();
        assertThat(b.load("w").requests()).isEqualTo(1);
    }

    @Test
    void dropsAPeerThatFellSilentWithItsLoad() {
        a.reserve("w", 100, 0);
        b.apply(a.nextDelta().orElseThrow());
        assertThat(b.peers()).extracting(PeerView::gatewayId).containsExactly("gw-a");

        clock.advance(LoadLedger.DEFAULT_PEER_TTL.plusMillis(1));

        assertThat(b.load("w")).isEqualTo(WorkerLoad.NONE);
        assertThat(b.peers()).isEmpty();
    }

    @Test
    void stalenessIsTheAgeOfThePeersLastDelta() {
        b.apply(a.nextDelta().orElseThrow());
        clock.advance(Duration.ofMillis(40));

        assertThat(b.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.staleness()).isEqualTo(Duration.ofMillis(40));
            assertThat(peer.lastSeq()).isEqualTo(1);
        });
    }

    @Test
    void aRestartedPeerStartsOver() {
        a.reserve("w", 7, 0);
        for (int i = 0; i < 3; i++) {
            a.reserve("w", 1, 0);
            b.apply(a.nextDelta().orElseThrow());
        }
        clock.advance(Duration.ofMillis(1));
        LoadLedger restarted = new LoadLedger("gw-a", clock);

        assertThat(b.apply(restarted.nextDelta().orElseThrow())).isTrue();
        assertThat(b.load("w")).isEqualTo(WorkerLoad.NONE);
    }

    private void exchange() {
        Optional<LedgerDelta> fromA = a.nextDelta();
        Optional<LedgerDelta> fromB = b.nextDelta();
        fromA.ifPresent(b::apply);
        fromB.ifPresent(a::apply);
    }

    private Map<String, WorkerLoad> expected() {
        Map<String, WorkerLoad> sum = new java.util.TreeMap<>();
        for (String w : List.of("w0", "w1", "w2", "w3")) {
            WorkerLoad total = a.localLoad(w).plus(b.localLoad(w));
            if (!total.isZero()) {
                sum.put(w, total);
            }
        }
        return sum;
    }
}
