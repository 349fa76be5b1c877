package dev.equilibria.control.regime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.efficiency.PrefillTime;
import dev.equilibria.control.efficiency.TimingModelPrefillTime;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.profile.EngineProfiles;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ThresholdCalibratorTest {

    static Stream<Arguments> inflations() {
        return Stream.of(
                Arguments.of(QueueingModel.MM1, 0.0, 1.0),
                Arguments.of(QueueingModel.MM1, 0.5, 2.0),
                Arguments.of(QueueingModel.MM1, 0.8, 5.0),
                Arguments.of(QueueingModel.MM1, 0.95, 20.0),
                Arguments.of(QueueingModel.MD1, 0.0, 1.0),
                Arguments.of(QueueingModel.MD1, 0.01, 1.0),
                Arguments.of(QueueingModel.MD1, 0.5, 1 + Math.log(50)),
                Arguments.of(QueueingModel.MD1, 0.9, 1 + Math.log(90) / 0.2));
    }

    @ParameterizedTest(name = "{0} at u={1}")
    @MethodSource("inflations")
    void p99Inflation(QueueingModel model, double u, double expected) {
        assertThat(model.p99Inflation(u)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void fromZeroLoadPlacesThetasAtU1AndU2OfCapacity() {
        Thresholds thresholds = ThresholdCalibrator.defaults().fromZeroLoad(100);

        assertThat(thresholds.theta1Ms()).isCloseTo(500, within(1e-9));
        assertThat(thresholds.theta2Ms()).isCloseTo(2_000, within(1e-9));
        assertThat(thresholds.basis()).contains("zero-load").contains("u1=0.80");
    }

    @Test
    void fromAPlateauAtKnownUtilisationBacksOutTheZeroLoadLatency() {
        // A median of 200 ms at u = 0.5 under M/M/1 means 100 ms at zero load.
        Thresholds thresholds = ThresholdCalibrator.defaults()
                .fromObservedPlateau(List.of(150.0, 200.0, Double.NaN, 260.0), 0.5);

        assertThat(thresholds.theta1Ms()).isCloseTo(500, within(1e-9));
        assertThat(thresholds.basis()).contains("plateau 200.0 ms");
    }

    @Test
    void rejectsBadCalibrationInput() {
        assertThatThrownBy(() -> new ThresholdCalibrator(0.9, 0.8, QueueingModel.MM1))
                .hasMessageContaining("calibration_u2");
        assertThatThrownBy(() -> new ThresholdCalibrator(1.0, 0.8, QueueingModel.MM1))
                .hasMessageContaining("calibration_u1");
        assertThatThrownBy(() -> ThresholdCalibrator.defaults().fromObservedPlateau(List.of(), 0))
                .hasMessageContaining("warm-up");
        assertThatThrownBy(() -> ThresholdCalibrator.defaults().fromObservedPlateau(List.of(1.0), 0.9))
                .hasMessageContaining("warm-up utilisation");
        assertThatThrownBy(() -> QueueingModel.MM1.p99Inflation(1)).hasMessageContaining("utilisation");
    }

    @Test
    void aPlainMultipleOfLowLoadTtftFiresAtModerateLoadWhereCalibratedThresholdsDoNot() {
        EngineProfile profile = EngineProfiles.LLAMA_70B_B200;
        PrefillTime prefill = TimingModelPrefillTime.of(profile);
        LatencyCurve curve = new BatchedPrefillLatencyCurve(prefill, profile.maxNumBatchedTokens(), 128,
                QueueingModel.MM1);
        double lowLoad = curve.ttftP99Ms(0.05);
        double moderate = curve.ttftP99Ms(0.6);

        Thresholds calibrated = ThresholdCalibrator.defaults().fromCurve(curve, "llama-70b prefill");
        double plainMultiple = 2 * lowLoad;

        assertThat(moderate).as("TTFT at 60 %% of capacity, no knee").isGreaterThan(plainMultiple);
        assertThat(moderate).isLessThan(calibrated.theta1Ms());
        assertThat(curve.ttftP99Ms(0.9)).isGreaterThan(calibrated.theta1Ms());
    }

    @Test
    void batchesFillAsLoadGrows() {
        PrefillTime affine = (tokens, cached) -> tokens == 0 ? 0 : 10 + 0.01 * tokens;
        BatchedPrefillLatencyCurve curve = new BatchedPrefillLatencyCurve(affine, 8_192, 128, QueueingModel.MM1);

        // n = u * B * a / (a + (1 - u) * b * B) for t(n) = a + b n.
        double u = 0.9;
        double expected = u * 8_192 * 10 / (10 + (1 - u) * 0.01 * 8_192);
        assertThat(curve.stepTokens(u)).isCloseTo(expected, within(2.0));
        assertThat(curve.stepTokens(0.01)).isEqualTo(128);
        assertThat(curve.stepTokens(0.999)).isGreaterThan(curve.stepTokens(0.9));
    }
}
