package dev.equilibria.control.controller;

import static dev.equilibria.control.regime.Polls.poll;
import static dev.equilibria.control.regime.Polls.pool;
import static dev.equilibria.control.regime.Polls.queues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.UtilisationCaps;
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
        assertThat(attribution.evidence()).contains("imbalance 1.71").contains("1/4 workers at cap");

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
    void aPoolOfOneWorkerHasNoRoutingChoice() {
        for (int i = 0; i < 10; i++) {
            assertThat(observe(i, queues("prefill", 16, 0.5, 40))).isFalse();
        }
    }

    @Test
    void unevenButWithEveryWorkerFullIsCapacity() {
        // Everyone at cap (queues of 8+), uneven: nothing has room to take the excess.
        for (int i = 0; i < 10; i++) {
            assertThat(observe(i, queues("prefill", 16, 0.5, 40, 8, 8, 8))).isFalse();
        }
    }

    @Test
    void rejectsNonsenseParameters() {
        assertThatThrownBy(() -> new RoutingAttributionConfig(1.0, 3)).hasMessageContaining("routing_min_imbalance");
        assertThatThrownBy(() -> new RoutingAttributionConfig(1.5, 0)).hasMessageContaining("routing_confirm_polls");
    }
}
