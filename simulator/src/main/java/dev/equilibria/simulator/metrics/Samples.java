package dev.equilibria.simulator.metrics;

import java.util.Arrays;

/** A growable list of measurements with exact percentiles (sorted on demand). */
public final class Samples {

    private double[] values = new double[64];
    private int size;
    private boolean sorted = true;

    public void add(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sorted = false;
    }

    public int count() {
        return size;
    }

    public double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }

    /** Population standard deviation. */
    public double stdev() {
        if (size == 0) {
            return Double.NaN;
        }
        double mean = mean();
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += (values[i] - mean) * (values[i] - mean);
        }
        return Math.sqrt(sum / size);
    }

    /** Coefficient of variation (stdev over mean); 0 for fewer than two samples or a zero mean. */
    public double cv() {
        double mean = mean();
        return size < 2 || mean == 0 ? 0 : stdev() / Math.abs(mean);
    }

    public double min() {
        return percentile(0);
    }

    /** Percentile {@code p} in [0, 100], interpolating linearly between closest ranks (numpy's default). */
    public double percentile(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        double rank = p / 100 * (size - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(size - 1, low + 1);
        return values[low] + (values[high] - values[low]) * (rank - low);
    }

    public double max() {
        return percentile(100);
    }
}
