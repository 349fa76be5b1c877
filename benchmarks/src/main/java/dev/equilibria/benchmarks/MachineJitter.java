package dev.equilibria.benchmarks;

import java.util.Locale;

/**
 * How often, and for how long, this machine takes the CPU away from a busy thread: spins on {@link System#nanoTime()}
 * and counts every gap between two consecutive readings longer than {@link #GAP_THRESHOLD_NS}. On a VM these gaps
 * (timer exits, host preemption) set the tail of any microsecond-scale latency benchmark: an operation of L µs is
 * hit with a probability of about (gaps per second) x L. Run it pinned to the core the benchmark uses:
 * <pre>
 * taskset -c 1 java -cp benchmarks/target/benchmarks.jar dev.equilibria.benchmarks.MachineJitter [seconds]
 * </pre>
 */
public final class MachineJitter {

    /** Shorter gaps are the loop's own cost and ordinary cache misses. */
    static final long GAP_THRESHOLD_NS = 5_000;
    static final int DEFAULT_SECONDS = 10;
    /** Upper bounds of the histogram's buckets; the last bucket is everything longer. */
    private static final long[] BUCKET_LIMITS_NS = {10_000, 20_000, 40_000, 80_000, 160_000, 1_000_000};
    private static final String[] BUCKET_NAMES = {"5-10 us", "10-20 us", "20-40 us", "40-80 us", "80-160 us",
            "160 us-1 ms", "> 1 ms"};

    private MachineJitter() {
    }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_SECONDS;
        long[] counts = new long[BUCKET_NAMES.length];
        long lostNs = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long previous = System.nanoTime();
        for (long now = previous; now < end; now = System.nanoTime()) {
            long gap = now - previous;
            previous = now;
            if (gap > GAP_THRESHOLD_NS) {
                lostNs += gap;
                counts[bucket(gap)]++;
            }
        }
        long gaps = 0;
        for (long c : counts) {
            gaps += c;
        }
        System.out.printf(Locale.ROOT, "gaps over %d us: %.0f per s, %.2f %% of the time%n",
                GAP_THRESHOLD_NS / 1000, gaps / (double) seconds, 100.0 * lostNs / (seconds * 1e9));
        for (int b = 0; b < counts.length; b++) {
            System.out.printf(Locale.ROOT, "  %-12s %9.1f per s%n", BUCKET_NAMES[b], counts[b] / (double) seconds);
        }
    }

    static int bucket(long gapNs) {
        for (int b = 0; b < BUCKET_LIMITS_NS.length; b++) {
            if (gapNs < BUCKET_LIMITS_NS[b]) {
                return b;
            }
        }
        return BUCKET_LIMITS_NS.length;
    }
}
