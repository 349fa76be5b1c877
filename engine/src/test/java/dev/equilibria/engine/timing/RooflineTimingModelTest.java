package dev.equilibria.engine.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.engine.profile.EngineProfiles;
import org.junit.jupiter.api.Test;

class RooflineTimingModelTest {

    private final RooflineTimingModel model = EngineProfiles.LLAMA_70B_B200.rooflineTiming();

    @Test
    void aSmallDecodeBatchIsBoundByReadingTheWeights() {
        BatchShape batch = new BatchShape(0, 0, 8, 8 * 1000, 0);
        // 70.6e9 FP8 weight bytes + 8000 KV tokens * 163840 B over 4 x 8 TB/s x 0.7, plus 2 ms
        double expected = 2.0 + (70.6e9 + 8000 * 163_840.0) / (4 * 8e12 * 0.7) * 1e3;

        assertThat(model.stepNanos(batch) / 1e6).isCloseTo(expected, within(1e-6));
        assertThat(model.memorySeconds(batch)).isGreaterThan(model.computeSeconds(batch));
    }

    @Test
    void aLargePrefillIsBoundByCompute() {
        BatchShape batch = new BatchShape(8192, 1, 0, 0, 8192 * 4096.0);
        double flops = 2 * 70.6e9 * 8192 + 4.0 * 80 * 8192 * (8192 * 4096.0);
        double expected = 2.0 + flops / (4 * 4.5e15 * 0.5) * 1e3;

        assertThat(model.stepNanos(batch) / 1e6).isCloseTo(expected, within(1e-6));
        assertThat(model.computeSeconds(batch)).isGreaterThan(model.memorySeconds(batch));
    }

    @Test
    void anEmptyBatchTakesNoTime() {
        assertThat(model.stepNanos(new BatchShape(0, 0, 0, 0, 0))).isZero();
    }

    @Test
    void thePolynomialDefaultTracksTheRooflineOfItsProfile() {
        PolynomialTimingModel poly = PolynomialTimingModel.DEFAULT;
        for (int tokens : new int[] {512, 2048, 8192}) {
            BatchShape prefill = new BatchShape(tokens, 1, 0, 0, tokens * (tokens / 2.0));
            assertThat((double) poly.stepNanos(prefill)).isCloseTo(model.stepNanos(prefill), withinPercent(15));
        }
        for (int seqs : new int[] {1, 32, 128}) {
            BatchShape decode = new BatchShape(0, 0, seqs, seqs * 2000L, 0);
            assertThat((double) poly.stepNanos(decode)).isCloseTo(model.stepNanos(decode), withinPercent(15));
        }
    }

    private static org.assertj.core.data.Percentage withinPercent(double p) {
        return org.assertj.core.data.Percentage.withPercentage(p);
    }
}
