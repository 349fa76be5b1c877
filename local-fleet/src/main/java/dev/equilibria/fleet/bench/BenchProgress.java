package dev.equilibria.fleet.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A progress line on stderr every few seconds of a run: done, in flight, errors, rate, and the limit's progress. */
final class BenchProgress {

    static final long INTERVAL_MS = 2000;

    private final Recorder recorder;
    private final PrintStream err;
    private final LongSupplier clock;
    private final int requestLimit;
    private final long durationLimitNanos;
    private ScheduledFuture<?> task;

    BenchProgress(Recorder recorder, PrintStream err, LongSupplier clock, int requestLimit, long durationLimitNanos) {
        this.recorder = recorder;
        this.err = err;
        this.clock = clock;
        this.requestLimit = requestLimit;
        this.durationLimitNanos = durationLimitNanos;
    }

    void start(ScheduledExecutorService timer) {
        task = timer.scheduleAtFixedRate(this::print, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
            print();
        }
    }

    void print() {
        double seconds = clock.getAsLong() / 1e9;
        int done = recorder.finishedCount();
        String limit;
        if (requestLimit != Integer.MAX_VALUE) {
            limit = String.format(Locale.ROOT, "%5.1f%% of %d requests", 100.0 * done / requestLimit, requestLimit);
        } else {
            limit = String.format(Locale.ROOT, "%5.1f%% of %.0f s", Math.min(100, 100 * seconds * 1e9 / durationLimitNanos),
                    durationLimitNanos / 1e9);
        }
        err.printf(Locale.ROOT, "bench %7.1f s  %s  done %d  in flight %d  errors %d  %.1f req/s%n", seconds, limit,
                done, recorder.inFlight(), recorder.failedCount(), seconds > 0 ? done / seconds : 0);
        err.flush();
    }
}
