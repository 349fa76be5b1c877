package dev.equilibria.control.regime;

import java.util.List;

/**
 * What the monitor sees at one poll.
 *
 * @param ttftP99Ms   TTFT P99 of the requests finished since the previous poll; NaN when none finished
 * @param offeredLoad a load measure the router cannot change: arrival rate (requests/s) for an open workload,
 *                    requests in flight for a closed loop (the paper's concurrency C), or either divided by the
 *                    fleet's predicted capacity. NaN when unknown
 * @param pools       per-pool worker state, for the utilisation score and the capacity alert
 */
public record Poll(long timestampMs, double ttftP99Ms, double offeredLoad, List<PoolState> pools) {

    public Poll {
        pools = List.copyOf(pools);
        if (ttftP99Ms < 0 || Double.isInfinite(ttftP99Ms)) {
            throw new IllegalArgumentException("ttft_p99_ms must be finite and not negative (NaN when unknown), got "
                    + ttftP99Ms);
        }
        if (offeredLoad < 0 || Double.isInfinite(offeredLoad)) {
            throw new IllegalArgumentException("offered_load must be finite and not negative (NaN when unknown), got "
                    + offeredLoad);
        }
    }
}
