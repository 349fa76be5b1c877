package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.control.regime.WorkerState;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Locale;

/**
 * Decides, poll by poll, whether the fleet's queueing is routing's doing: some pool's load is uneven (max over mean of
 * running plus waiting requests at or above {@code routing_min_imbalance}, its busiest worker at least half full)
 * while a worker of that pool has room, on at least {@code k = routing_confirm_polls} of the last {@code 2k - 1}
 * polls. A majority rather than a run: a herd on a stale view moves from worker to worker, and on the poll that
 * catches it moving the load can look even for a moment. The controller only acts on it past BELOW, where the regime
 * detector already sees requests waiting.
 *
 * <p>A worker at its cap at the poll is not required. A poll is a snapshot, and a herd queues in bursts between
 * polls: measured in the simulator (4 gateway replicas sharing their ledgers 1 s late, C = 32 on 4 x 16 slots), the
 * polls showed loads like 0 / 8 / 14 / 10 for 16 s with no worker at its cap at the poll instant, while TTFT P99 was
 * 0.7 s; requiring one delayed the switch by those 16 s.
 *
 * <p>It reads the workers' own reports (what the monitor scrapes), never the router's view of load: under herding
 * that view is the stale or partial one that caused the herd. With a router that counts every dispatch, the load
 * stays even and saturation is a capacity problem, which routing cannot fix. Not thread-safe; the controller guards
 * it.
 */
public final class RoutingAttribution {

    /** The busiest worker's requests, as a share of its batch slots, below which its pool's imbalance is noise. */
    static final double BUSIEST_MIN_SHARE_OF_SLOTS = 0.5;

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
            evidence = String.format(Locale.ROOT, "pool %s unevenly loaded (imbalance %.2f >= %.2f, %d/%d workers with"
                    + " room)", worst.pool(), worstImbalance, config.minImbalance(),
                    worst.workers().size() - worst.workersAtCap(caps), worst.workers().size());
        } else {
            evidence = "load even across every pool's workers, or no worker with room";
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
        return pool.workers().size() >= 2 && imbalance >= config.minImbalance()
                && pool.workersAtCap(caps) < pool.workers().size() && busy(busiest(pool));
    }

    /** Half full or more: 1 request against 0 is uneven too, but nothing waits for a worker that has that much room. */
    private boolean busy(WorkerState worker) {
        return worker.atCap(caps) || worker.maxNumSeqs() > 0
                && worker.requests() >= BUSIEST_MIN_SHARE_OF_SLOTS * worker.maxNumSeqs();
    }

    private static WorkerState busiest(PoolState pool) {
        return pool.workers().stream().max(Comparator.comparingInt(WorkerState::requests)).orElseThrow();
    }
}
