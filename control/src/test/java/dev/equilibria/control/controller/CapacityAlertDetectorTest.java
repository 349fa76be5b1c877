package dev.equilibria.control.controller;

import static dev.equilibria.control.regime.Polls.poll;
import static dev.equilibria.control.regime.Polls.pool;
import static dev.equilibria.control.regime.Polls.queues;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.UtilisationCaps;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityAlertDetectorTest {

    private static final PoolState FULL_AND_EVEN = pool("prefill", 4, 16, 10, 0.5);
    private static final PoolState HERDED = queues("prefill", 16, 0.5, 40, 0, 0, 0);

    private final CapacityAlertDetector detector = CapacityAlertDetector.defaults(UtilisationCaps.defaults());

    @Test
    void raisesAfterConfirmPollsOfAFullEvenPoolInSaturation() {
        assertThat(observe(0, FULL_AND_EVEN, Regime.SATURATED)).isEmpty();
        assertThat(observe(5_000, FULL_AND_EVEN, Regime.SATURATED)).isEmpty();
        List<CapacityAlert> third = observe(10_000, FULL_AND_EVEN, Regime.SATURATED);

        assertThat(third).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(CapacityAlert.Status.RAISED);
            assertThat(a.pool()).isEqualTo("prefill");
            assertThat(a.workersAtCap()).isEqualTo(4);
            assertThat(a.imbalance()).isEqualTo(1.0);
            assertThat(a.reason()).contains("routing cannot help");
        });
        assertThat(detector.boundPools()).containsExactly("prefill");
    }

    @Test
    void repeatsWhileItLastsAndClearsOnce() {
        for (int i = 0; i < 3; i++) {
            observe(i * 5_000L, FULL_AND_EVEN, Regime.SATURATED);
        }
        assertThat(observe(20_000, FULL_AND_EVEN, Regime.SATURATED)).isEmpty();
        assertThat(observe(40_000, FULL_AND_EVEN, Regime.SATURATED))
                .singleElement().satisfies(a -> assertThat(a.reason()).contains("still"));

        List<CapacityAlert> cleared = observe(45_000, FULL_AND_EVEN, Regime.TRANSITION);

        assertThat(cleared).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(CapacityAlert.Status.CLEARED));
        assertThat(observe(50_000, FULL_AND_EVEN, Regime.TRANSITION)).isEmpty();
    }

    @Test
    void aHerdIsNotACapacityProblem() {
        for (int i = 0; i < 10; i++) {
            assertThat(observe(i * 5_000L, HERDED, Regime.SATURATED)).isEmpty();
        }
        assertThat(detector.anyBound()).isFalse();
    }

    @Test
    void theConditionIsKnownBeforeSaturationSoTheControllerCanHoldFromTheFirstPoll() {
        for (int i = 0; i < 3; i++) {
            assertThat(observe(i * 5_000L, FULL_AND_EVEN, Regime.TRANSITION)).isEmpty();
        }
        assertThat(detector.anyBound()).isTrue();

        assertThat(observe(15_000, FULL_AND_EVEN, Regime.SATURATED))
                .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(CapacityAlert.Status.RAISED));
    }

    @Test
    void aPoolThatDisappearsIsCleared() {
        for (int i = 0; i < 3; i++) {
            observe(i * 5_000L, FULL_AND_EVEN, Regime.SATURATED);
        }

        List<CapacityAlert> alerts = detector.observe(poll(15_000, 5_000, 100), Regime.SATURATED);

        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(CapacityAlert.Status.CLEARED));
        assertThat(detector.anyBound()).isFalse();
    }

    private List<CapacityAlert> observe(long ts, PoolState pool, Regime regime) {
        return detector.observe(poll(ts, 5_000, 100, pool), regime);
    }
}
