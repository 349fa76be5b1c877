package dev.equilibria.control.regime;

/** Exponentially weighted moving average; the first sample seeds it. Not thread-safe. */
final class Ewma {

    private final double alpha;
    private double value = Double.NaN;

    Ewma(double alpha) {
        this.alpha = alpha;
    }

    /** Folds a sample in; NaN samples (nothing observed) leave the average as it is. */
    double update(double sample) {
        if (!Double.isNaN(sample)) {
            value = Double.isNaN(value) ? sample : alpha * sample + (1 - alpha) * value;
        }
        return value;
    }

    double value() {
        return value;
    }
}
