package dev.equilibria.control.regime;

/**
 * A zero-load TTFT P99 inflated by a queueing model: {@code ttft(u) = zero_load * inflation(u)}.
 *
 * @param zeroLoadTtftP99Ms TTFT P99 with nothing else running, from the engine profile or measured at low load
 */
public record QueueingLatencyCurve(double zeroLoadTtftP99Ms, QueueingModel model) implements LatencyCurve {

    public QueueingLatencyCurve {
        if (!(zeroLoadTtftP99Ms > 0) || Double.isInfinite(zeroLoadTtftP99Ms)) {
            throw new IllegalArgumentException("zero-load TTFT must be positive and finite, got " + zeroLoadTtftP99Ms);
        }
    }

    @Override
    public double ttftP99Ms(double utilisation) {
        return zeroLoadTtftP99Ms * model.p99Inflation(utilisation);
    }
}
