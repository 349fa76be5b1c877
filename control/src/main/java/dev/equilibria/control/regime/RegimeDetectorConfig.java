package dev.equilibria.control.regime;

/**
 * Parameters of the {@link RegimeDetector}. Build {@code theta1_ms}/{@code theta2_ms} with the
 * {@link ThresholdCalibrator}; the rest have defaults.
 *
 * @param ewmaAlpha              weight of the newest poll in the TTFT, utilisation and load EWMAs ({@code ewma_alpha})
 * @param theta1Ms               EWMA of TTFT P99 at which the fleet enters TRANSITION ({@code theta1_ms})
 * @param theta2Ms               ... and SATURATED ({@code theta2_ms}); above {@code theta1_ms}
 * @param confirmPolls           consecutive agreeing polls before any change, {@code k} ({@code confirm_polls}; the
 *                               paper uses 3)
 * @param transitionUtilisation  pool utilisation score that enters TRANSITION ({@code utilisation_transition})
 * @param saturatedUtilisation   ... and SATURATED ({@code utilisation_saturated}); 1 is every queue or cache at its cap
 * @param caps                   {@code T_q} and {@code T_kv} of the utilisation score
 * @param symptomExitMargin      the symptom counts as gone only below {@code (1 - margin)} times the entry threshold
 *                               ({@code symptom_exit_margin}): a dead band against noise
 * @param loadExitMargin         leaving a regime needs the load EWMA at or below {@code (1 - margin)} times its
 *                               value at entry ({@code load_exit_margin}): the load-based exit condition
 * @param exitLoadSignal         which load the exit condition reads ({@code exit_load_signal})
 */
public record RegimeDetectorConfig(double ewmaAlpha, double theta1Ms, double theta2Ms, int confirmPolls,
                                   double transitionUtilisation, double saturatedUtilisation, UtilisationCaps caps,
                                   double symptomExitMargin, double loadExitMargin, ExitLoadSignal exitLoadSignal) {

    public static final double DEFAULT_EWMA_ALPHA = 0.3;
    public static final int DEFAULT_CONFIRM_POLLS = 3;
    public static final double DEFAULT_TRANSITION_UTILISATION = 0.8;
    public static final double DEFAULT_SATURATED_UTILISATION = 1.0;
    public static final double DEFAULT_SYMPTOM_EXIT_MARGIN = 0.2;
    public static final double DEFAULT_LOAD_EXIT_MARGIN = 0.1;
    public static final ExitLoadSignal DEFAULT_EXIT_LOAD_SIGNAL = ExitLoadSignal.OFFERED_LOAD;

    public RegimeDetectorConfig {
        if (!(ewmaAlpha > 0 && ewmaAlpha <= 1)) {
            throw new IllegalArgumentException("ewma_alpha must be in (0, 1], got " + ewmaAlpha);
        }
        if (!(theta1Ms > 0) || Double.isInfinite(theta1Ms)) {
            throw new IllegalArgumentException("theta1_ms must be positive and finite, got " + theta1Ms);
        }
        if (!(theta2Ms > theta1Ms) || Double.isInfinite(theta2Ms)) {
            throw new IllegalArgumentException("theta2_ms must be finite and above theta1_ms (" + theta1Ms
                    + "), got " + theta2Ms);
        }
        if (confirmPolls < 1) {
            throw new IllegalArgumentException("confirm_polls must be at least 1, got " + confirmPolls);
        }
        if (!(transitionUtilisation > 0) || Double.isInfinite(transitionUtilisation)) {
            throw new IllegalArgumentException("utilisation_transition must be positive and finite, got "
                    + transitionUtilisation);
        }
        if (!(saturatedUtilisation > transitionUtilisation) || Double.isInfinite(saturatedUtilisation)) {
            throw new IllegalArgumentException("utilisation_saturated must be finite and above utilisation_transition ("
                    + transitionUtilisation + "), got " + saturatedUtilisation);
        }
        if (caps == null) {
            throw new IllegalArgumentException("caps (queue_cap, kv_cap) must be given");
        }
        if (!(symptomExitMargin >= 0 && symptomExitMargin < 1)) {
            throw new IllegalArgumentException("symptom_exit_margin must be in [0, 1), got " + symptomExitMargin);
        }
        if (!(loadExitMargin >= 0 && loadExitMargin < 1)) {
            throw new IllegalArgumentException("load_exit_margin must be in [0, 1), got " + loadExitMargin);
        }
        if (exitLoadSignal == null) {
            throw new IllegalArgumentException("exit_load_signal must be given");
        }
    }

    /** Defaults around calibrated thresholds. */
    public static RegimeDetectorConfig defaults(Thresholds thresholds) {
        return new RegimeDetectorConfig(DEFAULT_EWMA_ALPHA, thresholds.theta1Ms(), thresholds.theta2Ms(),
                DEFAULT_CONFIRM_POLLS, DEFAULT_TRANSITION_UTILISATION, DEFAULT_SATURATED_UTILISATION,
                UtilisationCaps.defaults(), DEFAULT_SYMPTOM_EXIT_MARGIN, DEFAULT_LOAD_EXIT_MARGIN,
                DEFAULT_EXIT_LOAD_SIGNAL);
    }

    public RegimeDetectorConfig withThresholds(Thresholds thresholds) {
        return new RegimeDetectorConfig(ewmaAlpha, thresholds.theta1Ms(), thresholds.theta2Ms(), confirmPolls,
                transitionUtilisation, saturatedUtilisation, caps, symptomExitMargin, loadExitMargin, exitLoadSignal);
    }

    public RegimeDetectorConfig withExitLoadSignal(ExitLoadSignal signal) {
        return new RegimeDetectorConfig(ewmaAlpha, theta1Ms, theta2Ms, confirmPolls, transitionUtilisation,
                saturatedUtilisation, caps, symptomExitMargin, loadExitMargin, signal);
    }
}
