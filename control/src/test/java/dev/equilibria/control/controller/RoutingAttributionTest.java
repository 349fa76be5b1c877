package dev.equilibria.control.controller;

import static dev.equilibria.control.regime.Polls.poll;
import static dev.equilibria.control.regime.Polls.pool;
import static dev.equilibria.control.regime.Polls.queues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.control.regime.WorkerState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingAttributionTest {

    private final RoutingAttribution attribution = RoutingAttribution.defaults(UtilisationCaps.defaults());

    /** One worker queues past its cap, three have room: max/mean = 36 / 21. */
    private static final PoolState HERDED = queues("prefill", 16, 0.5, 20, 0, 0, 0);
    private static final PoolState EVEN_AND_FULL = pool("prefill", 4, 16, 10, 0.5);

    private boolean observe(long ts, PoolState pool) {
        return attribution.observe(poll(ts, 1_000, 100, pool));
    }

    @Test
    void blamesRoutingOnAMajorityOfTheLastPollsNotOnARun() {
        assertThat(observe(0, HERDED)).isFalse();
        assertThat(observe(1, EVEN_AND_FULL)).isFalse(); // the herd caught moving
        assertThat(observe(2, HERDED)).isFalse();
        assertThat(observe(3, HERDED)).isTrue(); // 3 of the last 5
        assertThat(attribution.evidence()).contains("imbalance 1.71").contains("3/4 workers with room");

        assertThat(observe(4, EVEN_AND_FULL)).isTrue(); // polls 0, 2, 3 of the last 5
        assertThat(observe(5, EVEN_AND_FULL)).isFalse(); // polls 2, 3 only
    }

    @Test
    void evenLoadIsNeverRoutingsFaultHoweverFull() {
        for (int i = 0; i < 10; i++) {
            assertThat(observe(i, EVEN_AND_FULL)).isFalse();
        }
        assertThat(attribution.evidence()).contains("load even");
    }

    @Test
    void aHerdThatQueuesBetweenPollsIsBlamedWithNoWorkerAtItsCapAtThePoll() {
        // Measured on 4 replicas sharing ledgers 1 s late: a snapshot catches the herd's worker below its 16 slots.
        PoolState caughtBetweenBursts = new PoolState("decode", List.of(running("d-0", 0), running("d-1", 8),
                running("d-2", 14), running("d-3", 10)));
        for (int i = 0; i < 3; i++) {
            observe(i, caughtBetweenBursts);
        }
        assertThat(attribution.confirmed()).isTrue();
        assertThat(attribution.evidence()).contains("imbalance 1.75").contains("4/4 workers with room");
    }

    @Test
    void unevenLoadOnNearlyIdleWorkersIsNoise() {
        // 1 request against 0 is max/mean 2, but the busiest worker has 15 of its 16 slots free.
        PoolState nearlyIdle = new PoolState("decode", List.of(running("d-0", 1), running("d-1", 0)));
        for (int i = 0; i < 5; i++) {
            assertThat(observe(i, nearlyIdle)).isFalse();
        }
    }

    @Test
    void requestsStrandedOnAFullWorkerAreBlamedHoweverEvenTheRatio() {
        // Two gateway replicas sharing late, 2 x 256 slots: 87 wait on one worker, the other has 87 free.
        PoolState herd = new PoolState("decode", List.of(new WorkerState("d-0", 256, 87, 256, 1000, 100_000),
                new WorkerState("d-1", 169, 0, 256, 700, 100_000)));
        for (int i = 0; i < 3; i++) {
            observe(i, herd);
        }
        assertThat(attribution.confirmed()).isTrue();
        assertThat(attribution.evidence()).contains("87 requests waiting on full workers").contains("imbalance 1.34");
    }

    @Test
    void aFewRequestsWaitingForTheNextStepAreNotStranded() {
        // What a router that counts every dispatch leaves at C = 512 on the same workers.
        PoolState ledger = new PoolState("decode", List.of(new WorkerState("d-0", 246, 10, 256, 1000, 100_000),
                new WorkerState("d-1", 256, 0, 256, 1000, 100_000)));
        PoolState stepBoundary = new PoolState("decode", List.of(new WorkerState("d-0", 245, 5, 256, 1000, 100_000),
                new WorkerState("d-1", 244, 7, 256, 1000, 100_000)));
        for (int i = 0; i < 6; i++) {
            assertThat(observe(i, i % 2 == 0 ? ledger : stepBoundary)).isFalse();
        }
    }

    @Test
    void unevenQueuesBehindFullBatchesAreBlamedBeyondTheirEvenShare() {
        // Four replicas sharing late past the knee, 2 x 256 slots: both batches full, the herd's worker queues 120
        // while the other's 20 drain first and its slots then idle; an even split would queue 70 on each.
        PoolState herd = new PoolState("decode", List.of(new WorkerState("d-0", 256, 120, 256, 1000, 100_000),
                new WorkerState("d-1", 256, 20, 256, 1000, 100_000)));
        for (int i = 0; i < 3; i++) {
            observe(i, herd);
        }
        assertThat(attribution.confirmed()).isTrue();
        assertThat(attribution.evidence()).contains("50 requests queued beyond an even share");
    }

    @Test
    void evenQueuesBehindFullBatchesAreCapacity() {
        // What a router that counts every dispatch leaves at C = 768 on the same workers: a few requests apart.
        PoolState ledger = new PoolState("decode", List.of(new WorkerState("d-0", 256, 131, 256, 1000, 100_000),
                new WorkerState("d-1", 256, 120, 256, 1000, 100_000)));
        for (int i = 0; i < 6; i++) {
            assertThat(observe(i, ledger)).isFalse();
        }
    }

    private static WorkerState running(String id, int requests) {
        return new WorkerState(id, requests, 0, 16, requests * 4, 1000);
    }

    @Test
    void aPoolOfOneWorkerHasNoRoutingChoice() {
        for (int i = 0; i < 10; i++) {
            assertThat(observe(i, queues("prefill", 16, 0.5, 40))).isFalse();
        }
    }

    @Test
    void unevenQueuesForTheTokenBudgetWithBatchSlotsFreeAreCapacity() {
        // Everyone at its queue cap (8+), uneven, with batch slots free: the queues wait for prefill tokens, a
        // capacity matter the slot counts cannot place elsewhere.
        for (int i = 0; i < 10; i++) {
            assertThat(observe(i, queues("prefill", 16, 0.5, 40, 8, 8, 8))).isFalse();
        }
    }

    @Test
    void rejectsNonsenseParameters() {
        assertThatThrownBy(() -> new RoutingAttributionConfig(1.0, 3, 0.02))
                .hasMessageContaining("routing_min_imbalance");
        assertThatThrownBy(() -> new RoutingAttributionConfig(1.5, 0, 0.02))
                .hasMessageContaining("routing_confirm_polls");
        assertThatThrownBy(() -> new RoutingAttributionConfig(1.5, 3, 0))
                .hasMessageContaining("routing_min_stranded_share");
        assertThatThrownBy(() -> new RoutingAttributionConfig(1.5, 3, 1.5))
                .hasMessageContaining("routing_min_stranded_share");
    }
}
