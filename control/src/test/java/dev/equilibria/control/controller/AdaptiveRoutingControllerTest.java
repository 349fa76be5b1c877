package dev.equilibria.control.controller;

import static dev.equilibria.control.regime.Polls.poll;
import static dev.equilibria.control.regime.Polls.pool;
import static dev.equilibria.control.regime.Polls.queues;
import static dev.equilibria.control.regime.Polls.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetector;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.control.regime.WorkerState;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdaptiveRoutingControllerTest {

    private static final Thresholds THRESHOLDS = new Thresholds(1_000, 4_000, "test");
    private static final long POLL_MS = 5_000;

    private static AdaptiveRoutingController controller(ControllerConfig config) {
        RegimeDetectorConfig detector = RegimeDetectorConfig.defaults(THRESHOLDS);
        return new AdaptiveRoutingController(new RegimeDetector(detector), RegimeRoutingTable.defaults(),
                CapacityAlertDetector.defaults(detector.caps()), config);
    }

    private final AdaptiveRoutingController controller = controller(ControllerConfig.defaults());

    /** One worker queues far past its cap while the others have room: a herd. */
    private static PoolState herded() {
        return queues("prefill", 16, 0.5, 20, 0, 0, 0);
    }

    @Test
    void publishesTheTablesSettingsWhenRoutingIsToBlame() {
        List<ControlDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            decisions.add(controller.onPoll(poll(i * POLL_MS, 2_000, 100, herded())));
        }

        assertThat(decisions.get(0).override()).isEmpty();
        RouterConfigOverride toTransition = decisions.get(2).override().orElseThrow();
        assertThat(toTransition.source()).isEqualTo("monitor");
        assertThat(toTransition.timestampMs()).isEqualTo(10_000);
        assertThat(toTransition.policy()).isEqualTo("round_robin");
        assertThat(toTransition.overlapScoreWeight()).isNull();
        assertThat(toTransition.refuseWhenFull()).as("full workers refuse legs past the knee").isTrue();
        assertThat(toTransition.reason()).contains("BELOW -> TRANSITION").contains("TTFT P99");
        assertThat(controller.status().routingBound()).isTrue();

        List<ControlDecision> later = new ArrayList<>();
        for (int i = 3; i < 20 && controller.regime() != Regime.SATURATED; i++) {
            later.add(controller.onPoll(poll(i * POLL_MS, 9_000, 100, herded())));
        }
        assertThat(controller.regime()).isEqualTo(Regime.SATURATED);
        // The same balancing setting: nothing new to publish.
        assertThat(later).allSatisfy(d -> assertThat(d.override()).isEmpty());
        assertThat(controller.history()).extracting(RegimeTransition::to)
                .containsExactly(Regime.TRANSITION, Regime.SATURATED);
        assertThat(controller.history().get(0).signals()).containsExactly(Signal.TTFT_P99);
    }

    @Test
    void saturationWithEvenLoadKeepsTheDefaultRouting() {
        List<ControlDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            decisions.add(controller.onPoll(poll(i * POLL_MS, 2_000, 100, quiet())));
        }

        assertThat(controller.regime()).isEqualTo(Regime.TRANSITION);
        assertThat(decisions).allSatisfy(d -> assertThat(d.override()).isEmpty());
        assertThat(controller.status().applied()).isEqualTo(RegimeRoutingTable.DEFAULT_BELOW);
        assertThat(controller.status().routingBound()).isFalse();
        assertThat(controller.history()).singleElement()
                .satisfies(t -> assertThat(t.reason()).contains("not routing's doing").contains("routing kept"));
    }

    @Test
    void aSymptomRoutingWasNotBlamedForIsLeftOnceItClearsAtAnyLoad() {
        // a fresh fleet: slow first requests at a load still rising, and no herd
        for (int i = 0; i < 3; i++) {
            controller.onPoll(poll(i * POLL_MS, 2_000, 39, quiet()));
        }
        assertThat(controller.regime()).isEqualTo(Regime.TRANSITION);

        for (int i = 3; i < 30 && controller.regime() != Regime.BELOW; i++) {
            controller.onPoll(poll(i * POLL_MS, 300, 69, quiet()));
        }

        assertThat(controller.regime()).as("the load rose 1.8x, not enough to release a hold").isEqualTo(Regime.BELOW);
        assertThat(controller.history()).last().satisfies(t -> assertThat(t.reason())
                .contains("no routing change of the controller's to hold for"));
    }

    @Test
    void onceRoutingIsSwitchedTheLoadAtTheSwitchHoldsTheRegime() {
        for (int i = 0; i < 3; i++) {
            controller.onPoll(poll(i * POLL_MS, 2_000, 40, quiet()));
        }
        assertThat(controller.status().routingBound()).isFalse();
        for (int i = 3; i < 8; i++) {
            controller.onPoll(poll(i * POLL_MS, 2_000, 85, herded()));
        }
        assertThat(controller.status().routingBound()).isTrue();

        // balancing broke the herd up; the load is what it was at the switch, not at entry
        for (int i = 8; i < 40; i++) {
            controller.onPoll(poll(i * POLL_MS, 300, 85, quiet()));
        }

        // against the 40 at entry, a load of 85 would have counted as a doubling and released the hold
        assertThat(controller.regime()).as("held: 85 is not below 90% of the load at the switch")
                .isEqualTo(Regime.TRANSITION);
        assertThat(controller.status().applied().policy()).isEqualTo("round_robin");
    }

    @Test
    void aHerdThatStartsInsideTransitionSwitchesRoutingThere() {
        for (int i = 0; i < 5; i++) {
            controller.onPoll(poll(i * POLL_MS, 2_000, 100, quiet()));
        }
        assertThat(controller.regime()).isEqualTo(Regime.TRANSITION);

        Optional<RouterConfigOverride> moved = Optional.empty();
        for (int i = 5; i < 10 && moved.isEmpty(); i++) {
            moved = controller.onPoll(poll(i * POLL_MS, 2_000, 100, herded())).override();
        }

        assertThat(moved).hasValueSatisfying(o -> {
            assertThat(o.policy()).isEqualTo("round_robin");
            assertThat(o.reason()).contains("routing-bound").contains("imbalance");
        });
        assertThat(controller.history()).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(Regime.TRANSITION);
            assertThat(t.to()).isEqualTo(Regime.TRANSITION);
            assertThat(t.signals()).containsExactly(Signal.LOAD_IMBALANCE);
        });
    }

    @Test
    void aPoolOnlySlightlyUnevenIsNotBlamedOnRouting() {
        // 19 requests against 16: a request or three over the mean is what a ledger leaves near the knee.
        for (int i = 0; i < 10; i++) {
            assertThat(controller.onPoll(poll(i * POLL_MS, 2_000, 100, queues("prefill", 16, 0.2, 3, 0, 0, 0)))
                    .override()).isEmpty();
        }
        assertThat(controller.status().routingBound()).isFalse();
    }

    @Test
    void unevenLoadBelowTheKneeLeavesRoutingAlone() {
        // Cache affinity may load workers unevenly; while TTFT stays low nothing waits because of it.
        PoolState affine = new PoolState("decode", List.of(new WorkerState("d-0", 12, 0, 16, 48, 1000),
                new WorkerState("d-1", 2, 0, 16, 8, 1000), new WorkerState("d-2", 2, 0, 16, 8, 1000)));
        for (int i = 0; i < 10; i++) {
            assertThat(controller.onPoll(poll(i * POLL_MS, 500, 100, affine)).override()).isEmpty();
        }
        assertThat(controller.regime()).isEqualTo(Regime.BELOW);
        assertThat(controller.status().routingBound()).isFalse();
    }

    @Test
    void capacityBoundSaturationAlertsTheAllocatorInsteadOfChangingRouting() {
        PoolState fullAndEven = pool("prefill", 4, 16, 10, 0.5);
        List<ControlDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            decisions.add(controller.onPoll(poll(i * POLL_MS, 9_000, 100, fullAndEven)));
        }

        ControlDecision entered = decisions.get(2);
        assertThat(entered.regime()).isEqualTo(Regime.SATURATED);
        assertThat(entered.override()).isEmpty();
        assertThat(entered.alerts()).singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(CapacityAlert.Status.RAISED));
        assertThat(entered.transition().orElseThrow().reason()).contains("capacity problem").contains("allocator");
        assertThat(controller.status().applied()).isEqualTo(RegimeRoutingTable.DEFAULT_BELOW);
        assertThat(controller.status().capacityBoundPools()).containsExactly("prefill");
    }

    @Test
    void aHerdInOnePoolIsFixedWhileAnotherPoolIsCapacityBound() {
        // One prefill worker at its cap (capacity), decode legs herded onto one of three workers (routing).
        PoolState prefill = queues("prefill", 16, 0.5, 40);
        PoolState decode = new PoolState("decode", List.of(new WorkerState("d-0", 256, 60, 256, 500, 1000),
                new WorkerState("d-1", 90, 0, 256, 200, 1000), new WorkerState("d-2", 80, 0, 256, 200, 1000)));
        List<ControlDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            decisions.add(controller.onPoll(new Poll(i * POLL_MS, 9_000, 100, List.of(prefill, decode))));
        }

        assertThat(controller.regime()).isEqualTo(Regime.SATURATED);
        assertThat(controller.status().capacityBoundPools()).containsExactly("prefill");
        assertThat(decisions).flatExtracting(ControlDecision::alerts).isNotEmpty();
        RouterConfigOverride balanced = decisions.stream().flatMap(d -> d.override().stream()).findFirst()
                .orElseThrow();
        assertThat(balanced.policy()).isEqualTo(RegimeRoutingTable.DEFAULT_SATURATED.policy());
        assertThat(balanced.reason()).contains("capacity problem in pool(s) [prefill]").contains("allocator alerted")
                .contains("pool decode");
        assertThat(controller.status().routingBound()).isTrue();
    }

    @Test
    void whenSaturationStopsBeingACapacityProblemRoutingMoves() {
        PoolState fullAndEven = pool("prefill", 4, 16, 10, 0.5);
        for (int i = 0; i < 3; i++) {
            controller.onPoll(poll(i * POLL_MS, 9_000, 100, fullAndEven));
        }

        Optional<RouterConfigOverride> moved = Optional.empty();
        for (int i = 3; i < 10 && moved.isEmpty(); i++) {
            moved = controller.onPoll(poll(i * POLL_MS, 9_000, 100, queues("prefill", 16, 0.5, 40, 12, 0, 0)))
                    .override();
        }

        assertThat(moved).hasValueSatisfying(o -> assertThat(o.policy()).isEqualTo("round_robin"));
        assertThat(controller.history()).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(Regime.SATURATED);
            assertThat(t.to()).isEqualTo(Regime.SATURATED);
        });
    }

    @Test
    void forceAndRelease() {
        Optional<RouterConfigOverride> forced = controller.force(Regime.SATURATED, "drill", 1_000);

        assertThat(forced).hasValueSatisfying(o -> {
            assertThat(o.policy()).isEqualTo("round_robin");
            assertThat(o.reason()).contains("forced SATURATED").contains("drill");
        });
        assertThat(controller.regime()).isEqualTo(Regime.SATURATED);
        assertThat(controller.status().forced()).isEqualTo(Regime.SATURATED);

        // Detection runs on but does not touch routing while forced.
        for (int i = 0; i < 5; i++) {
            assertThat(controller.onPoll(poll(i * POLL_MS, 2_000, 100, quiet())).override()).isEmpty();
        }
        assertThat(controller.status().detected()).isEqualTo(Regime.TRANSITION);

        Optional<RouterConfigOverride> released = controller.release("drill over", 30_000);

        // Detected TRANSITION with even load: routing is not to blame, so the default comes back.
        assertThat(released).hasValueSatisfying(o -> {
            assertThat(o.policy()).isEqualTo("kv");
            assertThat(o.overlapScoreWeight()).isEqualTo(1.0);
        });
        assertThat(controller.regime()).isEqualTo(Regime.TRANSITION);
        assertThat(controller.release("again", 31_000)).isEmpty();
        assertThat(controller.history()).extracting(RegimeTransition::signals)
                .containsExactly(Set.of(Signal.MANUAL), Set.of(Signal.MANUAL));
    }

    @Test
    void forcingTheCurrentSettingsPublishesNothingButIsLogged() {
        assertThat(controller.force(Regime.BELOW, "pin", 0)).isEmpty();
        assertThat(controller.history()).hasSize(1);
        assertThat(controller.currentOverride(5).policy()).isEqualTo("kv");
        assertThat(controller.currentOverride(5).overlapScoreWeight()).isEqualTo(1.0);
    }

    @Test
    void historyIsBounded() {
        AdaptiveRoutingController small = controller(new ControllerConfig("monitor", 3));
        for (int i = 0; i < 10; i++) {
            small.force(i % 2 == 0 ? Regime.SATURATED : Regime.BELOW, "flip " + i, i);
        }

        assertThat(small.history()).hasSize(3);
        assertThat(small.history().get(2).reason()).contains("flip 9");
    }

    /**
     * A fleet whose TTFT problem is herding: under cache affinity every request piles onto the worker holding the
     * prefix, which queues past its cap; any load-balancing setting breaks the herd up. The offered load never
     * changes.
     */
    private static final class HerdingFleet {
        private final Random random = new Random(2026);
        private RouterConfigOverride settings = new RouterConfigOverride("init", 0, "kv", 1.0, 0.0, "");

        void apply(Optional<RouterConfigOverride> override) {
            override.ifPresent(o -> settings = o);
        }

        boolean herding() {
            return "kv".equals(settings.policy()) && settings.routerTemperature() == 0
                    && settings.overlapScoreWeight() > 0.5;
        }

        Poll observe(long ts, boolean offeredLoadKnown) {
            double noise = 1 + 0.1 * random.nextGaussian();
            double ttft = (herding() ? 2_500 : 600) * noise;
            PoolState prefill = herding() ? queues("prefill", 16, 0.4, 24, 1, 0, 1) : queues("prefill", 16, 0.4, 3, 3, 2, 3);
            double load = offeredLoadKnown ? 100 * (1 + 0.02 * random.nextGaussian()) : Double.NaN;
            return poll(ts, ttft, load, prefill);
        }
    }

    private static int transitionsOverTenMinutes(AdaptiveRoutingController controller, boolean offeredLoadKnown) {
        HerdingFleet fleet = new HerdingFleet();
        int transitions = 0;
        for (long ts = 0; ts < 600_000; ts += POLL_MS) {
            ControlDecision decision = controller.onPoll(fleet.observe(ts, offeredLoadKnown));
            fleet.apply(decision.override());
            if (decision.reading().changed()) {
                transitions++;
            }
        }
        return transitions;
    }

    @Test
    void doesNotOscillateWhenBalancingRemovesTheSymptom() {
        int transitions = transitionsOverTenMinutes(controller, true);

        assertThat(transitions).isEqualTo(1);
        assertThat(controller.regime()).isEqualTo(Regime.TRANSITION);
    }

    @Test
    void aSymptomOnlyExitAsInThePaperOscillatesInTheSameFleet() {
        // Without an offered-load figure the detector falls back to the paper's rule, and the loop shows.
        int transitions = transitionsOverTenMinutes(controller(ControllerConfig.defaults()), false);

        assertThat(transitions).isGreaterThanOrEqualTo(8);
    }

    @Test
    void returnsToCacheAffinityWhenTheLoadReallyFalls() {
        HerdingFleet fleet = new HerdingFleet();
        long ts = 0;
        for (; ts < 120_000; ts += POLL_MS) {
            fleet.apply(controller.onPoll(fleet.observe(ts, true)).override());
        }
        assertThat(controller.regime()).isEqualTo(Regime.TRANSITION);

        Optional<RouterConfigOverride> back = Optional.empty();
        for (; ts < 300_000 && back.isEmpty(); ts += POLL_MS) {
            back = controller.onPoll(poll(ts, 500, 60, quiet())).override();
        }

        assertThat(back).hasValueSatisfying(o -> {
            assertThat(o.overlapScoreWeight()).isEqualTo(1.0);
            assertThat(o.routerTemperature()).isEqualTo(0.0);
            assertThat(o.reason()).contains("offered load");
        });
        assertThat(controller.history()).last()
                .satisfies(t -> assertThat(t.signals()).containsExactly(Signal.OFFERED_LOAD));
    }
}
