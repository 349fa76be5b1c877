package dev.equilibria.control.regime;

import java.util.List;
import java.util.Locale;

/**
 * Derives the detector's TTFT thresholds from the fleet's capacity: {@code theta1} is the TTFT P99 predicted at
 * utilisation {@code u1} of capacity, {@code theta2} at {@code u2}. Anchoring to utilisation rather than to a plain
 * multiple of low-load TTFT keeps the thresholds above the latency the fleet has at moderate load, where TTFT has
 * grown (bigger batches, queueing within a step) without any knee.
 *
 * @param transitionUtilisation {@code u1} ({@code calibration_u1})
 * @param saturatedUtilisation  {@code u2} ({@code calibration_u2}), above {@code u1} and below 1
 * @param model                 the queueing model used when the calibration has only a zero-load or plateau figure
 */
public record ThresholdCalibrator(double transitionUtilisation, double saturatedUtilisation, QueueingModel model) {

    public static final double DEFAULT_TRANSITION_UTILISATION = 0.8;
    public static final double DEFAULT_SATURATED_UTILISATION = 0.95;
    public static final QueueingModel DEFAULT_QUEUEING_MODEL = QueueingModel.MM1;

    public ThresholdCalibrator {
        if (!(transitionUtilisation > 0 && transitionUtilisation < 1)) {
            throw new IllegalArgumentException("calibration_u1 must be in (0, 1), got " + transitionUtilisation);
        }
        if (!(saturatedUtilisation > transitionUtilisation && saturatedUtilisation < 1)) {
            throw new IllegalArgumentException("calibration_u2 must be in (calibration_u1, 1), got "
                    + saturatedUtilisation);
        }
        if (model == null) {
            throw new IllegalArgumentException("queueing model must be given");
        }
    }

    public static ThresholdCalibrator defaults() {
        return new ThresholdCalibrator(DEFAULT_TRANSITION_UTILISATION, DEFAULT_SATURATED_UTILISATION,
                DEFAULT_QUEUEING_MODEL);
    }

    /** From a predicted latency curve, for example a {@link BatchedPrefillLatencyCurve} of the engine profile. */
    public Thresholds fromCurve(LatencyCurve curve, String basis) {
        double t1 = curve.ttftP99Ms(transitionUtilisation);
        double t2 = curve.ttftP99Ms(saturatedUtilisation);
        return new Thresholds(t1, t2, String.format(Locale.ROOT, "%s at u1=%.2f, u2=%.2f of predicted capacity",
                basis, transitionUtilisation, saturatedUtilisation));
    }

    /** From the engine profile's zero-load TTFT P99 and the queueing model. */
    public Thresholds fromZeroLoad(double zeroLoadTtftP99Ms) {
        return fromCurve(new QueueingLatencyCurve(zeroLoadTtftP99Ms, model),
                String.format(Locale.ROOT, "zero-load TTFT P99 %.1f ms, %s", zeroLoadTtftP99Ms, model));
    }

    /**
     * From the TTFT P99 plateau observed over a warm-up: its median, taken as the curve's value at the warm-up's
     * utilisation, fixes the curve's scale. With a warm-up at utilisation 0 this is a multiple of low-load TTFT, but
     * one derived from {@code u1} and {@code u2} rather than chosen by hand; the higher the warm-up's utilisation is
     * known to be, the less of the plateau is mistaken for headroom.
     *
     * @param warmupTtftP99Ms   TTFT P99 of each warm-up poll (NaNs ignored)
     * @param warmupUtilisation the warm-up's utilisation of capacity, below {@code u1}; 0 if unknown and low
     */
    public Thresholds fromObservedPlateau(List<Double> warmupTtftP99Ms, double warmupUtilisation) {
        if (!(warmupUtilisation >= 0 && warmupUtilisation < transitionUtilisation)) {
            throw new IllegalArgumentException("warm-up utilisation must be in [0, calibration_u1), got "
                    + warmupUtilisation);
        }
        double[] values = warmupTtftP99Ms.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        if (values.length == 0) {
            throw new IllegalArgumentException("warm-up has no TTFT P99 to calibrate from");
        }
        double plateau = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        double zeroLoad = plateau / model.p99Inflation(warmupUtilisation);
        return fromCurve(new QueueingLatencyCurve(zeroLoad, model), String.format(Locale.ROOT,
                "observed plateau %.1f ms at u=%.2f over %d polls, %s", plateau, warmupUtilisation, values.length,
                model));
    }
}
