package dev.equilibria.control.efficiency;

import java.util.List;

/**
 * TTFT inflation of a set of requests: observed TTFT over the zero-load TTFT predicted for the same requests.
 *
 * <pre>
 * mean_inflation  = sum(observed) / sum(zero_load)
 * p99_inflation   = P99(observed) / P99(zero_load)
 * queueing_share  = 1 - sum(zero_load) / sum(observed)     (clamped at 0)
 * </pre>
 *
 * @param samples         requests counted
 * @param queueingShare   share of the observed TTFT not explained by the requests' own prefill: waiting in queues,
 *                        sharing batches, handoff delays
 */
public record TtftInflation(int samples, double meanObservedMs, double meanZeroLoadMs, double meanInflation,
                            double p99ObservedMs, double p99ZeroLoadMs, double p99Inflation, double queueingShare) {

    public static final TtftInflation EMPTY = new TtftInflation(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN);

    public static TtftInflation of(List<TtftSample> samples, ZeroLoadTtft zeroLoad) {
        double[] predicted = samples.stream().mapToDouble(zeroLoad::predictMillis).toArray();
        return of(samples.stream().mapToDouble(TtftSample::observedTtftMs).toArray(), predicted);
    }

    /** From paired arrays: {@code observed[i]} and {@code zeroLoad[i]} belong to the same request. */
    public static TtftInflation of(double[] observed, double[] zeroLoad) {
        if (observed.length != zeroLoad.length) {
            throw new IllegalArgumentException("observed and zero-load TTFTs must pair up");
        }
        int n = observed.length;
        if (n == 0) {
            return EMPTY;
        }
        double sumObserved = 0;
        double sumZero = 0;
        for (int i = 0; i < n; i++) {
            if (!(zeroLoad[i] > 0) || Double.isInfinite(zeroLoad[i])) {
                throw new IllegalArgumentException("zero-load TTFT must be positive and finite, got " + zeroLoad[i]);
            }
            sumObserved += observed[i];
            sumZero += zeroLoad[i];
        }
        double p99Observed = Percentiles.of(observed, 0.99);
        double p99Zero = Percentiles.of(zeroLoad, 0.99);
        double share = sumObserved > 0 ? Math.max(0, 1 - sumZero / sumObserved) : 0;
        return new TtftInflation(n, sumObserved / n, sumZero / n, sumObserved / sumZero, p99Observed, p99Zero,
                p99Observed / p99Zero, share);
    }
}
