package dev.equilibria.control.efficiency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.engine.timing.BatchShape;
import dev.equilibria.engine.timing.TimingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingModelPrefillTimeTest {

    @Test
    void chunksByMaxNumBatchedTokensAndAttendsOverWhatCameBefore() {
        List<BatchShape> steps = new ArrayList<>();
        TimingModel recording = batch -> {
            steps.add(batch);
            return 1_000_000L * batch.prefillTokens();
        };

        double millis = new TimingModelPrefillTime(recording, 100).millis(250, 40);

        assertThat(millis).isEqualTo(250);
        assertThat(steps).extracting(BatchShape::prefillTokens).containsExactly(100, 100, 50);
        assertThat(steps.get(0).prefillContextPairs()).isEqualTo(100 * (40 + 50.0));
        assertThat(steps.get(2).prefillContextPairs()).isEqualTo(50 * (240 + 25.0));
    }

    @Test
    void nothingToComputeTakesNoTime() {
        assertThat(TimingModelPrefillTime.of(EngineProfiles.LLAMA_70B_B200).millis(0, 1_000)).isZero();
    }

    @Test
    void theProfilePredictsMillisecondsForShortPromptsAndGrowsWithLength() {
        PrefillTime prefill = TimingModelPrefillTime.of(EngineProfiles.LLAMA_70B_B200);

        double shortPrompt = prefill.millis(128, 0);
        double fullStep = prefill.millis(8_192, 0);

        assertThat(shortPrompt).isBetween(2.0, 20.0);
        assertThat(fullStep).isGreaterThan(10 * shortPrompt);
        assertThat(prefill.millis(16_384, 0)).isCloseTo(2 * fullStep, within(0.3 * fullStep));
    }
}
