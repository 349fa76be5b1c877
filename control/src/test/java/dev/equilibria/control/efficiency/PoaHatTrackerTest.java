package dev.equilibria.control.efficiency;

import static dev.equilibria.control.efficiency.Decisions.candidate;
import static dev.equilibria.control.efficiency.Decisions.costs;
import static dev.equilibria.control.efficiency.Decisions.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.protocol.event.RoutingLeg;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoaHatTrackerTest {

    @Test
    void closesAWindowEveryNDecisions() {
        PoaHatTracker tracker = new PoaHatTracker(new PoaHatConfig(2, 60_000, 10, 10), PoaHatCalculator.defaults());

        assertThat(tracker.record(costs("r0", 0, 0, 1, 4))).isEmpty();
        List<PoaHatWindow> closed = tracker.record(costs("r1", 1, 1, 3, 2));

        assertThat(closed).singleElement().satisfies(w -> {
            assertThat(w.requests()).isEqualTo(2);
            assertThat(w.ratio()).isEqualTo(1.0);
        });
    }

    @Test
    void closesAWindowByTimeOnRecordAndOnAdvance() {
        PoaHatTracker tracker = new PoaHatTracker(new PoaHatConfig(64, 1_000, 10, 10), PoaHatCalculator.defaults());
        tracker.record(costs("r0", 0, 0, 1, 4));

        List<PoaHatWindow> byRecord = tracker.record(costs("r1", 1_000, 0, 1, 4));
        assertThat(byRecord).singleElement().satisfies(w -> assertThat(w.requests()).isEqualTo(1));

        assertThat(tracker.advance(1_999)).isEmpty();
        assertThat(tracker.advance(2_000)).singleElement().satisfies(w -> assertThat(w.startMs()).isEqualTo(1_000));
        assertThat(tracker.advance(5_000)).isEmpty();
    }

    @Test
    void closesAWindowWhenTheRouterSettingsChange() {
        PoaHatTracker tracker = new PoaHatTracker(PoaHatConfig.defaults(), PoaHatCalculator.defaults());
        tracker.record(decision("r0", 0, Decisions.AFFINITY, "w0", candidate("w0", 1, 0)));

        List<PoaHatWindow> closed = tracker.record(decision("r1", 1, Decisions.BALANCING, "w0", candidate("w0", 1, 0)));

        assertThat(closed).singleElement().satisfies(w -> assertThat(w.settings()).isEqualTo(Decisions.AFFINITY));
    }

    @Test
    void legsHaveTheirOwnWindows() {
        PoaHatTracker tracker = new PoaHatTracker(new PoaHatConfig(2, 60_000, 10, 10), PoaHatCalculator.defaults());
        tracker.record(costs("r0", 0, 0, 1, 4));
        tracker.record(new dev.equilibria.protocol.event.RoutingDecision("r1", "gw-0", 1, RoutingLeg.DECODE, "w0",
                Decisions.AFFINITY, 256, 4, 64, List.of(candidate("w0", 0, 1))));

        assertThat(tracker.windows(RoutingLeg.PREFILL)).isEmpty();
        assertThat(tracker.windows(RoutingLeg.DECODE)).isEmpty();
    }

    @Test
    void summarisesPercentilesAndARollingRatioOfSums() {
        PoaHatTracker tracker = new PoaHatTracker(new PoaHatConfig(1, 60_000, 3, 2), PoaHatCalculator.defaults());
        // One-request windows; ratio = chosen / cheapest.
        tracker.record(costs("r0", 0, 1, 1, 9));   // 9 / 1, falls out of the history of 3
        tracker.record(costs("r1", 1, 0, 2, 5));   // 1.0   (2 / 2)
        tracker.record(costs("r2", 2, 1, 2, 4));   // 2.0   (4 / 2)
        tracker.record(costs("r3", 3, 1, 10, 30)); // 3.0   (30 / 10)

        PoaHatSummary summary = tracker.summary(RoutingLeg.PREFILL);

        assertThat(summary.windows()).isEqualTo(3);
        assertThat(summary.p50()).isEqualTo(2.0);
        assertThat(summary.p90()).isEqualTo(3.0);
        // The last two windows pooled: (4 + 30) / (2 + 10).
        assertThat(summary.rolling()).isCloseTo(34.0 / 12.0, within(1e-12));
        assertThat(summary.latest().ratio()).isEqualTo(3.0);
    }

    @Test
    void anEmptyLegHasNoValues() {
        PoaHatSummary summary = new PoaHatTracker(PoaHatConfig.defaults(), PoaHatCalculator.defaults())
                .summary(RoutingLeg.DECODE);

        assertThat(summary.windows()).isZero();
        assertThat(summary.p50()).isNaN();
        assertThat(summary.rolling()).isNaN();
        assertThat(summary.latest()).isNull();
    }

    @Test
    void configNamesTheBadField() {
        assertThatThrownBy(() -> new PoaHatConfig(0, 1, 1, 1)).hasMessageContaining("poa_window_requests");
        assertThatThrownBy(() -> new PoaHatConfig(1, 0, 1, 1)).hasMessageContaining("poa_window_ms");
        assertThatThrownBy(() -> new PoaHatConfig(1, 1, 0, 1)).hasMessageContaining("poa_history_windows");
        assertThatThrownBy(() -> new PoaHatConfig(1, 1, 2, 3)).hasMessageContaining("poa_rolling_windows");
    }
}
