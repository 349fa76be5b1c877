package dev.equilibria.monitor.scrape;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Quantiles from cumulative histogram buckets, the way PromQL's {@code histogram_quantile} computes them: find the
 * bucket holding the rank and interpolate linearly inside it (the first bucket starts at 0). A rank in the
 * {@code +Inf} bucket returns the highest finite bound.
 */
public final class HistogramQuantile {

    private HistogramQuantile() {
    }

    /**
     * @param buckets upper bound ({@code le}) to cumulative count; an {@code +Inf} bucket, if present, gives the total
     * @param q       quantile in [0, 1]
     * @return the estimate; NaN when the buckets hold no observation
     */
    public static double of(Map<Double, Double> buckets, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        NavigableMap<Double, Double> sorted = new TreeMap<>(buckets);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        double total = sorted.lastEntry().getValue();
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : sorted.entrySet()) {
            double upper = e.getKey();
            double count = e.getValue();
            if (count >= rank && count > lowerCount) {
                if (Double.isInfinite(upper)) {
                    return lowerBound;
                }
                return lowerBound + (upper - lowerBound) * (rank - lowerCount) / (count - lowerCount);
            }
            if (!Double.isInfinite(upper)) {
                lowerBound = upper;
            }
            lowerCount = Math.max(lowerCount, count);
        }
        return lowerBound;
    }
}
