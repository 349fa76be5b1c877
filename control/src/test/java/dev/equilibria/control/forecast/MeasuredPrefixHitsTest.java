package dev.equilibria.control.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeasuredPrefixHitsTest {

    private final MeasuredPrefixHits hits = new MeasuredPrefixHits(Duration.ofSeconds(10), 1000);

    @Test
    void cachedOverPromptTokensOfTheRequestsInTheWindow() {
        hits.record(1_000, 128, 64);
        hits.record(2_000, 384, 320);

        assertThat(hits.hitRate(5_000)).isCloseTo(384 / 512.0, within(1e-12));
        // at 11 s the first request (finished at 1 s) has left the 10 s window
        assertThat(hits.hitRate(11_000)).isCloseTo(320 / 384.0, within(1e-12));
        assertThat(hits.hitRate(12_000)).isNaN();
    }

    @Test
    void cachedTokensAreCappedAtThePromptAndNegativesCountAsZero() {
        hits.record(0, 100, 150);
        hits.record(0, 100, -5);
        hits.record(0, -3, 10);

        assertThat(hits.hitRate(0)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void beyondMaxSamplesTheOldestAreDropped() {
        MeasuredPrefixHits two = new MeasuredPrefixHits(Duration.ofSeconds(60), 2);
        two.record(0, 100, 0);
        two.record(1, 100, 100);
        two.record(2, 100, 100);

        assertThat(two.hitRate(3)).isEqualTo(1.0);
    }

    @Test
    void theMeasuredRateReplacesTheRoutersGuessAndNothingElse() {
        DemandSnapshot logged = new DemandSnapshot(5_000, 40, 30, new Workload(4, 128, 128, 4, 1.0));
        assertThat(hits.correct(logged)).as("no measurement: the guess stands").isEqualTo(logged);

        hits.record(4_000, 128, 64);
        DemandSnapshot corrected = hits.correct(logged);

        assertThat(corrected).isEqualTo(new DemandSnapshot(5_000, 40, 30, new Workload(4, 128, 128, 4, 0.5)));
        assertThat(MeasuredPrefixHits.withMeasuredHitRate(logged.workload(), Double.NaN)).isSameAs(logged.workload());
    }

    @Test
    void rejectsAnEmptyWindow() {
        assertThatThrownBy(() -> new MeasuredPrefixHits(Duration.ZERO, 10)).hasMessageContaining("window");
        assertThatThrownBy(() -> new MeasuredPrefixHits(Duration.ofSeconds(1), 0)).hasMessageContaining("samples");
    }
}
