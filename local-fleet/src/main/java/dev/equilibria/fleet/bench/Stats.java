package dev.equilibria.fleet.bench;

import java.util.Arrays;

/**
 * Summary statistics of one metric: count, mean, min, max and percentiles. Percentiles interpolate linearly between
 * the two nearest ranks (numpy's default, which aiperf and genai-perf use): p = x[k] + (x[k+1] - x[k]) * f with
 * h = (n - 1) * q, k = floor(h), f = h - k. All NaN when there are no values.
 */
public record Stats(int count, double mean, double min, double p50, double p90, double p99, double max) {

    public static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);

    /** The statistics of {@code values} (NaN entries are skipped); the array is not changed. */
    public static Stats of(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return EMPTY;
        }
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Stats(sorted.length, sum / sorted.length, sorted[0], percentile(sorted, 0.50),
                percentile(sorted, 0.90), percentile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** The {@code q}-quantile (0..1) of sorted values, linearly interpolated. */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be within 0..1, got " + q);
        }
        double h = (sorted.length - 1) * q;
        int k = (int) Math.floor(h);
        if (k >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[k] + (sorted[k + 1] - sorted[k]) * (h - k);
    }
}
