package dev.equilibria.monitor.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.controller.CapacityAlertConfig;
import dev.equilibria.control.controller.ControllerConfig;
import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.control.controller.RoutingAttributionConfig;
import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.control.regime.ThresholdCalibrator;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.control.regime.WorkerState;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegimeControlTest {

    static final Thresholds THRESHOLDS = new Thresholds(200, 500, "test");

    /** Collects what the controller sends. */
    static final class Recorder implements ControlSink {
        final List<RouterConfigOverride> overrides = new ArrayList<>();
        final List<CapacityAlert> alerts = new ArrayList<>();
        final List<RegimeTransition> transitions = new ArrayList<>();

        @Override
        public void override(RouterConfigOverride override) {
            overrides.add(override);
        }

        @Override
        public void alert(CapacityAlert alert) {
            alerts.add(alert);
        }

        @Override
        public void transition(RegimeTransition transition) {
            transitions.add(transition);
        }
    }

    private final Recorder sink = new Recorder();

    private RegimeControl control(RegimeControl.Plateau plateau) {
        return control(plateau, RoutingAttributionConfig.defaults());
    }

    private RegimeControl control(RegimeControl.Plateau plateau, RoutingAttributionConfig attribution) {
        return new RegimeControl(RegimeDetectorConfig.defaults(THRESHOLDS), THRESHOLDS, RegimeRoutingTable.defaults(),
                CapacityAlertConfig.defaults(), attribution, ControllerConfig.defaults(), 100, plateau, sink);
    }

    /** Two prefill workers: one herded (full batch, long queue), one nearly idle. */
    static List<PoolState> herded() {
        return List.of(new PoolState("prefill", List.of(new WorkerState("p0", 8, 12, 8, 100, 1000),
                new WorkerState("p1", 1, 0, 8, 10, 1000))));
    }

    /** Both workers at their cap with the same load: a capacity problem. */
    static List<PoolState> evenlyFull() {
        return List.of(new PoolState("prefill", List.of(new WorkerState("p0", 8, 10, 8, 500, 1000),
                new WorkerState("p1", 8, 10, 8, 500, 1000))));
    }

    static List<PoolState> quiet() {
        return List.of(new PoolState("prefill", List.of(new WorkerState("p0", 1, 0, 8, 10, 1000),
                new WorkerState("p1", 1, 0, 8, 10, 1000))));
    }

    @Test
    void aHerdPastTheKneePublishesTheSaturatedSettingsAfterThreeAgreeingPolls() {
        RegimeControl control = control(null);
        long t = 0;
        for (int i = 0; i < 5; i++) {
            control.onPoll(new Poll(t += 1000, 80, 10, quiet()));
        }
        assertThat(sink.overrides).isEmpty();
        for (int i = 0; i < 3; i++) {
            control.onPoll(new Poll(t += 1000, 2000, 40, herded()));
        }

        assertThat(control.regime()).isEqualTo(Regime.SATURATED);
        assertThat(sink.overrides).hasSize(1);
        RouterConfigOverride o = sink.overrides.get(0);
        assertThat(o.source()).isEqualTo("monitor");
        assertThat(o.policy()).isEqualTo(RegimeRoutingTable.DEFAULT_SATURATED.policy());
        assertThat(o.overlapScoreWeight()).isNull();
        assertThat(o.routerTemperature()).isNull();
        assertThat(o.timestampMs()).isEqualTo(t);
        assertThat(o.reason()).contains("TTFT P99");
        assertThat(sink.transitions).singleElement().satisfies(tr -> {
            assertThat(tr.from()).isEqualTo(Regime.BELOW);
            assertThat(tr.to()).isEqualTo(Regime.SATURATED);
            assertThat(tr.signals()).contains(Signal.TTFT_P99);
            assertThat(tr.published()).isEqualTo(o);
        });
        assertThat(sink.alerts).isEmpty();
    }

    @Test
    void theConfiguredRoutingAttributionDecidesWhetherTheHerdIsRoutingsFault() {
        // herded(): 20 and 1 requests, max/mean 1.9, 7 stranded of 16 slots; thresholds of 2 and 1.0 do not blame it
        RegimeControl strict = control(null, new RoutingAttributionConfig(2.0, 3, 1.0));
        long t = 0;
        for (int i = 0; i < 6; i++) {
            strict.onPoll(new Poll(t += 1000, 2000, 40, herded()));
        }
        assertThat(strict.regime()).isEqualTo(Regime.SATURATED);
        assertThat(strict.status().routingBound()).isFalse();
        assertThat(sink.overrides).isEmpty();
        assertThat(sink.transitions).singleElement()
                .satisfies(tr -> assertThat(tr.reason()).contains("not routing's doing"));

        // one poll suffices with confirm_polls 1, even before the detector's own 3 polls confirm the regime
        sink.transitions.clear();
        RegimeControl quick = control(null, new RoutingAttributionConfig(1.5, 1,
                RoutingAttributionConfig.DEFAULT_MIN_STRANDED_SHARE));
        t = 0;
        for (int i = 0; i < 3; i++) {
            quick.onPoll(new Poll(t += 1000, 2000, 40, herded()));
        }
        assertThat(quick.status().routingBound()).isTrue();
        assertThat(sink.overrides).singleElement()
                .satisfies(o -> assertThat(o.policy()).isEqualTo(RegimeRoutingTable.DEFAULT_SATURATED.policy()));
    }

    @Test
    void capacityBoundSaturationAlertsTheAllocatorAndLeavesRoutingAlone() {
        RegimeControl control = control(null);
        long t = 0;
        for (int i = 0; i < 6; i++) {
            control.onPoll(new Poll(t += 1000, 2000, 40, evenlyFull()));
        }

        assertThat(control.regime()).isEqualTo(Regime.SATURATED);
        assertThat(sink.overrides).isEmpty();
        assertThat(sink.alerts).isNotEmpty();
        CapacityAlert alert = sink.alerts.get(0);
        assertThat(alert.pool()).isEqualTo("prefill");
        assertThat(alert.state()).isEqualTo("raised");
        assertThat(alert.workers()).isEqualTo(2);
        assertThat(alert.workersAtCap()).isEqualTo(2);
        assertThat(alert.reason()).contains("routing cannot help");
        assertThat(control.status().capacityBoundPools()).containsExactly("prefill");
    }

    @Test
    void forceAndReleasePublishAndAreRecorded() {
        RegimeControl control = control(null);

        RegimeTransition forced = control.force(Regime.TRANSITION, "drill", 1000);
        RegimeTransition released = control.release("done", 2000).orElseThrow();

        assertThat(forced.to()).isEqualTo(Regime.TRANSITION);
        assertThat(forced.signals()).containsExactly(Signal.MANUAL);
        assertThat(released.to()).isEqualTo(Regime.BELOW);
        assertThat(sink.overrides).extracting(RouterConfigOverride::policy).containsExactly("round_robin", "kv");
        assertThat(sink.overrides.get(1).routerTemperature()).isEqualTo(0.0);
        assertThat(control.history()).containsExactly(forced, released);
        assertThat(control.release("again", 3000)).isEmpty();
    }

    @Test
    void newThresholdsReplayTheKeptPollsAndPublishWhatTheyImply() {
        RegimeControl control = control(null);
        long t = 0;
        for (int i = 0; i < 6; i++) {
            control.onPoll(new Poll(t += 1000, 150, 20, quiet())); // under theta1 = 200
        }
        assertThat(control.regime()).isEqualTo(Regime.BELOW);

        var transition = control.reconfigure(RegimeDetectorConfig.defaults(THRESHOLDS),
                new Thresholds(50, 120, "operator"), RegimeRoutingTable.defaults(), "thresholds set by operator", t);

        // 150 ms is above the new theta2: on the same polls the detector is SATURATED. The load was even, so routing
        // is not to blame and stays at the defaults.
        assertThat(control.regime()).isEqualTo(Regime.SATURATED);
        assertThat(control.thresholds().theta1Ms()).isEqualTo(50);
        assertThat(sink.overrides).isEmpty();
        assertThat(transition).hasValueSatisfying(tr -> {
            assertThat(tr.reason()).contains("thresholds set by operator").contains("replayed 6 polls");
            assertThat(tr.published()).isNull();
            assertThat(tr.from()).isEqualTo(Regime.BELOW);
            assertThat(tr.to()).isEqualTo(Regime.SATURATED);
            assertThat(tr.signals()).containsExactly(Signal.MANUAL);
        });
    }

    @Test
    void newThresholdsOverHerdedPollsPublishTheBalancingSettingsAtOnce() {
        RegimeControl control = control(null);
        long t = 0;
        for (int i = 0; i < 6; i++) {
            control.onPoll(new Poll(t += 1000, 150, 20, herded())); // under theta1 = 200, utilisation under 0.8
        }
        assertThat(control.regime()).isEqualTo(Regime.BELOW);

        control.reconfigure(RegimeDetectorConfig.defaults(THRESHOLDS), new Thresholds(50, 120, "operator"),
                RegimeRoutingTable.defaults(), "thresholds set by operator", t);

        assertThat(control.regime()).isEqualTo(Regime.SATURATED);
        assertThat(sink.overrides).singleElement().satisfies(o -> {
            assertThat(o.policy()).isEqualTo("round_robin");
            assertThat(o.reason()).contains("thresholds set by operator").contains("replayed 6 polls");
        });
    }

    @Test
    void aForcedRegimeStaysForcedAcrossReconfiguration() {
        RegimeControl control = control(null);
        control.force(Regime.SATURATED, "drill", 0);
        sink.overrides.clear();

        control.reconfigure(RegimeDetectorConfig.defaults(THRESHOLDS), new Thresholds(300, 900, "op"),
                RegimeRoutingTable.defaults(), "thresholds set by operator", 10);

        assertThat(control.status().forced()).isEqualTo(Regime.SATURATED);
        assertThat(sink.overrides).isEmpty(); // the gateways already run SATURATED's settings
    }

    @Test
    void plateauCalibrationReplacesTheThresholdsAfterTheWarmUp() {
        RegimeControl control = control(new RegimeControl.Plateau(ThresholdCalibrator.defaults(), 5, 0));
        long t = 0;
        for (int i = 0; i < 4; i++) {
            control.onPoll(new Poll(t += 1000, 40, 5, quiet()));
        }
        assertThat(control.calibrating()).isTrue();
        control.onPoll(new Poll(t + 1000, 40, 5, quiet()));

        assertThat(control.calibrating()).isFalse();
        // M/M/1 from a 40 ms zero-load plateau: 40 / (1 - 0.8) and 40 / (1 - 0.95)
        assertThat(control.thresholds().theta1Ms()).isCloseTo(200, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(control.thresholds().theta2Ms()).isCloseTo(800, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(control.thresholds().basis()).contains("observed plateau");
        assertThat(control.regime()).isEqualTo(Regime.BELOW);
    }

    @Test
    void theCurrentOverrideIsTheSettingsInForce() {
        RegimeControl control = control(null);

        RouterConfigOverride current = control.currentOverride(5);

        assertThat(current.overlapScoreWeight()).isEqualTo(1.0);
        assertThat(current.routerTemperature()).isEqualTo(0.0);
        assertThat(current.timestampMs()).isEqualTo(5);
    }
}
