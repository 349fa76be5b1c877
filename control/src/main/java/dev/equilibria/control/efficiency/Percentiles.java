package dev.equilibria.control.efficiency;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles, the definition dashboards and the paper's P99s use. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * @param q in [0, 1]
     * @return the smallest value with at least {@code q} of the values at or below it; NaN when there are none.
     * NaN values are ignored.
     */
    public static double of(Collection<Double> values, double q) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray(), q);
    }

    public static double of(double[] values, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("percentile must be in [0, 1], got " + q);
        }
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
