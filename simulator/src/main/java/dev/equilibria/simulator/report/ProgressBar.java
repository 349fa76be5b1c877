package dev.equilibria.simulator.report;

import dev.equilibria.simulator.core.EventLoop;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr for long runs: how far, in simulated time, and how fast. */
public final class ProgressBar implements EventLoop.Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String label;
    private final PrintStream out;
    private final long startWall = System.nanoTime();
    private long lastDraw;

    public ProgressBar(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    @Override
    public void update(long nowNanos, long untilNanos) {
        long wall = System.nanoTime();
        boolean done = nowNanos >= untilNanos;
        if (!done && wall - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = wall;
        double fraction = untilNanos == Long.MAX_VALUE ? 0 : Math.min(1, (double) nowNanos / untilNanos);
        int filled = (int) Math.round(fraction * WIDTH);
        double wallSeconds = (wall - startWall) / 1e9;
        out.printf(Locale.ROOT, "\r%-28s [%s%s] %5.1f%%  %8.1f s simulated  %6.1f x real time", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, nowNanos / 1e9,
                wallSeconds > 0 ? nowNanos / 1e9 / wallSeconds : 0);
        if (done) {
            out.println();
        }
        out.flush();
    }
}
