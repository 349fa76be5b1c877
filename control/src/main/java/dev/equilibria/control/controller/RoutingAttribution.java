package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.control.regime.WorkerState;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Decides, poll by poll, whether the fleet's queueing is routing's doing: some pool has work waiting on a worker at
 * its cap while another worker of the same pool has room, and its load is uneven (max over mean of running plus
 * waiting requests at or above {@code routing_min_imbalance}) on at least {@code k = routing_confirm_polls} of the
 * last {@code 2k - 1} polls. A majority rather than a run: a herd on a stale view moves from worker to worker, and
 * on the poll that catches it moving the load can look even for a moment.
 *
 * <p>It reads the workers' own reports (what the monitor scrapes), never the router's view of load: under herding
 * that view is the stale or partial one that caused the herd. With a router that counts every dispatch, the load
 * stays even and saturation is a capacity problem, which routing cannot fix. Not thread-safe; the controller guards
 * it.
 */
public final class RoutingAttribution {

    private final RoutingAttributionConfig config;
    private final UtilisationCaps caps;
    /** The last {@code 2k - 1} polls, newest first: whether each showed misrouted load. */
    private final ArrayDeque<Boolean> recent = new ArrayDeque<>();
    private boolean confirmed;
    private String evidence = "no poll yet";

    public RoutingAttribution(RoutingAttributionConfig config, UtilisationCaps caps) {
        this.config = config;
        this.caps = caps;
    }

    public static RoutingAttribution defaults(UtilisationCaps caps) {
        return new RoutingAttribution(RoutingAttributionConfig.defaults(), caps);
    }

    public RoutingAttributionConfig config() {
        return config;
    }

    /** @return whether routing is to blame, confirmed over the last polls */
    public boolean observe(Poll poll) {
        PoolState worst = null;
        double worstImbalance = 1;
        for (PoolState pool : poll.pools()) {
            double imbalance = pool.imbalance();
            if (misrouted(pool, imbalance) && (worst == null || imbalance > worstImbalance)) {
                worst = pool;
                worstImbalance = imbalance;
            }
        }
        recent.addFirst(worst != null);
        while (recent.size() > 2 * config.confirmPolls() - 1) {
            recent.removeLast();
        }
        if (worst != null) {
            evidence = String.format(Locale.ROOT, "pool %s unevenly loaded (imbalance %.2f >= %.2f, %d/%d workers at"
                    + " cap while others have room)", worst.pool(), worstImbalance, config.minImbalance(),
                    worst.workersAtCap(caps), worst.workers().size());
        } else {
            evidence = "load even across every pool's workers, or no worker queueing at its cap";
        }
        confirmed = recent.stream().filter(b -> b).count() >= config.confirmPolls();
        return confirmed;
    }

    /** Whether the last poll confirmed that routing is to blame. */
    public boolean confirmed() {
        return confirmed;
    }

    /** What the last poll showed, for the transition's reason. */
    public String evidence() {
        return evidence;
    }

    private boolean misrouted(PoolState pool, double imbalance) {
        if (pool.workers().size() < 2 || imbalance < config.minImbalance()) {
            return false;
        }
        boolean someFull = false;
        boolean someRoom = false;
        for (WorkerState w : pool.workers()) {
            if (w.atCap(caps)) {
                someFull = true;
            } else {
                someRoom = true;
            }
        }
        return someFull && someRoom;
    }
}
