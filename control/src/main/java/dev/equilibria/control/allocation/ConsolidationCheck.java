package dev.equilibria.control.allocation;

import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.protocol.event.WorkerLoad;
import java.util.List;
import java.util.Locale;

/**
 * Says whether a pool can shrink to {@code remaining} workers without being overrun: the model's utilisation at the
 * forecast workload must stay at or below {@code 1 / headroom}, and for decode the KV blocks its workers hold now
 * (sequences that must finish or move) must fit in the remaining workers' KV with the same headroom. The prefill
 * queue is transient and is not checked against load reports.
 */
public final class ConsolidationCheck {

    /** @param reason why, in words, for the decision record */
    public record Verdict(boolean safe, String reason) {
    }

    private final double headroom;

    public ConsolidationCheck(double headroom) {
        if (!(headroom >= 1) || Double.isInfinite(headroom)) {
            throw new IllegalArgumentException("allocation.headroom must be finite and >= 1, was " + headroom);
        }
        this.headroom = headroom;
    }

    public Verdict check(Pool pool, int remaining, PoolGame game, List<WorkerLoad> loads) {
        String name = pool.name().toLowerCase(Locale.ROOT);
        if (remaining < 1) {
            return new Verdict(false, name + " pool would be left with no worker");
        }
        double limit = 1 / headroom;
        double rho = game.estimate(pool, remaining).utilisation();
        if (!(rho <= limit)) {
            return new Verdict(false, String.format(Locale.ROOT,
                    "%s pool with %d workers would run at utilisation %.2f at the forecast load, above %.2f "
                            + "(headroom %.2f)", name, remaining, rho, limit, headroom));
        }
        if (pool == Pool.DECODE) {
            long used = 0;
            long total = 0;
            int workers = 0;
            for (WorkerLoad load : loads) {
                if (load.role() == pool.role()) {
                    used += load.kvBlocksUsed();
                    total += load.kvBlocksTotal();
                    workers++;
                }
            }
            if (workers > 0) {
                double remainingBlocks = remaining * (total / (double) workers);
                if (used * headroom > remainingBlocks) {
                    return new Verdict(false, String.format(Locale.ROOT,
                            "decode pool holds %d KV blocks now; %d workers offer %.0f, short of the %.2fx headroom",
                            used, remaining, remainingBlocks, headroom));
                }
            }
        }
        return new Verdict(true, String.format(Locale.ROOT,
                "%s pool with %d workers would run at utilisation %.2f <= %.2f", name, remaining, rho, limit));
    }
}
