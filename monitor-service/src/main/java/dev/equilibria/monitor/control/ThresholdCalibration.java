package dev.equilibria.monitor.control;

import dev.equilibria.control.efficiency.TimingModelPrefillTime;
import dev.equilibria.control.regime.BatchedPrefillLatencyCurve;
import dev.equilibria.control.regime.ThresholdCalibrator;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.monitor.config.Calibration;
import dev.equilibria.monitor.config.MonitorProperties;
import java.util.Locale;

/**
 * The detector's starting thresholds: from the engine profile's predicted latency curve (a batching prefill worker
 * at {@code calibration-u1}/{@code -u2} of its capacity, in wall-clock time at the workers' {@code time-scale}, plus
 * the fixed zero-load overhead), or as configured.
 * Plateau calibration starts from the profile's and is refined by {@link RegimeControl} after the warm-up.
 */
public final class ThresholdCalibration {

    private ThresholdCalibration() {
    }

    public static Thresholds initial(MonitorProperties properties) {
        if (properties.calibration() == Calibration.FIXED) {
            return properties.fixedThresholds();
        }
        return fromProfile(properties);
    }

    public static Thresholds fromProfile(MonitorProperties properties) {
        EngineProfile profile = properties.engineProfile();
        int prompt = properties.calibrationPromptTokens();
        if (prompt < 1 || prompt > profile.maxNumBatchedTokens()) {
            throw new IllegalArgumentException(MonitorProperties.PREFIX + ".calibration-prompt-tokens: must be in [1, "
                    + profile.maxNumBatchedTokens() + "] (max_num_batched_tokens of " + profile.name() + "), got "
                    + prompt);
        }
        ThresholdCalibrator calibrator = properties.calibrator();
        Thresholds curve = calibrator.fromCurve(new BatchedPrefillLatencyCurve(TimingModelPrefillTime.of(profile),
                profile.maxNumBatchedTokens(), prompt, properties.queueingModel()), String.format(Locale.ROOT,
                "engine profile %s, %d-token prompts, %s", profile.name(), prompt, properties.queueingModel()));
        double scale = properties.timeScale();
        if (scale != MonitorProperties.DEFAULT_TIME_SCALE) {
            // the curve is in GPU time; simulated GPUs at time-scale s run s times faster: wall = GPU / s
            curve = new Thresholds(curve.theta1Ms() / scale, curve.theta2Ms() / scale,
                    String.format(Locale.ROOT, "%s, at time scale %s", curve.basis(), scale));
        }
        double overhead = properties.zeroLoadOverheadMs();
        if (overhead == 0) {
            return curve;
        }
        return new Thresholds(curve.theta1Ms() + overhead, curve.theta2Ms() + overhead,
                String.format(Locale.ROOT, "%s, plus %.1f ms fixed overhead", curve.basis(), overhead));
    }
}
