package dev.equilibria.simulator.cli;

import dev.equilibria.simulator.experiment.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Locates the saturation knee of a closed loop: the smallest concurrency C past which requests queue for admission
 * (prefill batch slot or decode batch slot) for at least {@link #QUEUE_SHARE_PAST_KNEE} of their response time.
 * The grid brackets it; bisection on C with extra runs narrows the bracket.
 *
 * <p>Why the queueing share and not a multiple of low-load latency: TTFT and ITL grow with batch size long before
 * any knee (see the control README), while admission queueing is near zero until a pool's batch slots are full and
 * then grows linearly in C. Past the knee a closed loop runs at its capacity X, so its response time is
 * {@code R = C / X = R0 + W}; the knee, where the asymptotes meet, is {@code C* = X * R0 = C * (1 - W / R)}. That
 * gives an estimate of C* from any run past the knee, which is reported beside the bracket.
 */
final class KneeSearch {

    /** Past the knee when admission queueing is at least this share of the response time. */
    static final double QUEUE_SHARE_PAST_KNEE = 0.10;
    /** Extra runs the bisection may spend by default. */
    static final int DEFAULT_REFINE_RUNS = 4;

    /**
     * @param lower       largest C seen below the knee (0 when even the smallest grid point is past it)
     * @param upper       smallest C seen past the knee (0 when none was)
     * @param estimate    {@code C * (1 - W/R)} at {@code upper}, at most {@code upper} and at least
     *                    {@code lower * (1 - QUEUE_SHARE_PAST_KNEE)}; NaN when no run was past it
     * @param extraRuns   the bisection's runs, by C
     */
    record Knee(int lower, int upper, double estimate, Map<Integer, RunResult> extraRuns) {

        boolean found() {
            return upper > 0;
        }

        String describe() {
            if (!found()) {
                return "not reached: every C up to " + lower + " is below the knee";
            }
            return lower == 0 ? "at or below the smallest C (" + upper + ")"
                    : "between C=" + lower + " and C=" + upper;
        }
    }

    private KneeSearch() {
    }

    /** Share of the mean response time (C / throughput, Little's law) spent waiting for admission. */
    static double queueShare(int concurrency, RunResult r) {
        double response = concurrency / r.latency().throughput();
        double wait = nonNegative(r.latency().prefillQueueSeconds()) + nonNegative(r.latency().decodeQueueSeconds());
        return response > 0 && Double.isFinite(response) ? Math.min(1, wait / response) : Double.NaN;
    }

    /** Where the admission queueing sits: {@code prefill}, {@code decode}, or {@code none} below the knee share. */
    static String queueAt(int concurrency, RunResult r) {
        if (!(queueShare(concurrency, r) >= QUEUE_SHARE_PAST_KNEE)) {
            return "none";
        }
        return nonNegative(r.latency().prefillQueueSeconds()) >= nonNegative(r.latency().decodeQueueSeconds())
                ? "prefill" : "decode";
    }

    static boolean pastKnee(int concurrency, RunResult r) {
        return queueShare(concurrency, r) >= QUEUE_SHARE_PAST_KNEE;
    }

    /**
     * @param grid    runs already made, by C (the default router configuration)
     * @param run     makes one more run at a C
     * @param maxRuns extra runs allowed
     */
    static Knee locate(Map<Integer, RunResult> grid, IntFunction<RunResult> run, int maxRuns) {
        TreeMap<Integer, RunResult> seen = new TreeMap<>(grid);
        Map<Integer, RunResult> extra = new TreeMap<>();
        int lower = 0;
        int upper = 0;
        for (Map.Entry<Integer, RunResult> e : seen.entrySet()) {
            if (pastKnee(e.getKey(), e.getValue())) {
                upper = e.getKey();
                break;
            }
            lower = e.getKey();
        }
        if (upper == 0) {
            return new Knee(lower, 0, Double.NaN, extra);
        }
        for (int i = 0; i < maxRuns && lower > 0 && upper - lower > 1; i++) {
            int mid = (lower + upper) >>> 1;
            RunResult r = run.apply(mid);
            extra.put(mid, r);
            seen.put(mid, r);
            if (pastKnee(mid, r)) {
                upper = mid;
            } else {
                lower = mid;
            }
        }
        RunResult atUpper = seen.get(upper);
        double estimate = upper * (1 - queueShare(upper, atUpper));
        // The bracket holds the C where queueing crosses its share, which lies past C*: on the asymptotes the share
        // at C is 1 - C*/C, so it crosses at C*/(1 - share). A run below the crossing therefore only bounds C* from
        // below by lower * (1 - share), never by lower itself.
        estimate = Math.max(lower * (1 - QUEUE_SHARE_PAST_KNEE), Math.min(upper, estimate));
        return new Knee(lower, upper, estimate, extra);
    }

    /** Grid points around {@code center}: 0.5x, 0.75x, 1x, 1.25x, 1.5x, rounded, at least 1, without repeats. */
    static List<Integer> around(double center) {
        List<Integer> out = new ArrayList<>();
        for (double f : new double[] {0.5, 0.75, 1, 1.25, 1.5}) {
            int c = Math.max(1, (int) Math.round(center * f));
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static double nonNegative(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }
}
