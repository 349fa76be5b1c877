package dev.equilibria.control.efficiency;

import java.util.List;

/**
 * TTFT inflation over a rolling window of finished requests. The zero-load prediction is made when a sample is
 * recorded, so a later change of the prediction function does not rewrite history. Thread-safe.
 */
public final class TtftInflationTracker {

    private record Pair(double observed, double zeroLoad) {
    }

    private final ZeroLoadTtft zeroLoad;
    private final SlidingWindow<Pair> window;

    public TtftInflationTracker(ZeroLoadTtft zeroLoad, WindowLimits limits) {
        this.zeroLoad = zeroLoad;
        this.window = new SlidingWindow<>(limits);
    }

    public synchronized void record(TtftSample sample) {
        window.add(sample.timestampMs(), new Pair(sample.observedTtftMs(), zeroLoad.predictMillis(sample)));
    }

    public synchronized TtftInflation snapshot(long nowMs) {
        List<Pair> pairs = window.values(nowMs);
        return TtftInflation.of(pairs.stream().mapToDouble(Pair::observed).toArray(),
                pairs.stream().mapToDouble(Pair::zeroLoad).toArray());
    }
}
