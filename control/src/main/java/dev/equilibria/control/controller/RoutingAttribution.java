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
 * while a worker of that pool has room, or requests wait on full workers that others have free slots for, or, once
 * its waiting requests outnumber its free slots, queue beyond an even share of its backlog ({@link Backlog}; at
 * least {@code routing_min_stranded_share} of the pool's slots and 4 requests: a ratio cannot see a herd of tens on
 * 256-slot workers), on at least {@code k = routing_confirm_polls} of the last {@code 2k - 1} polls. A majority rather
 * than a run: a herd on a stale view moves from worker to worker, and on the poll that catches it moving the load can
 * look even for a moment. The controller only acts on it past BELOW, where the regime detector already sees
 * requests waiting.
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
    /**
     * Stranded requests below which a pool never counts as misrouted, whatever {@code routing_min_stranded_share}
     * says: on 4 x 16 slots at the knee a router that sees every dispatch strands 1-2 (simulator).
     */
    static final int STRANDED_MIN_REQUESTS = 4;

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
        String found = null;
        double worstImbalance = 0;
        for (PoolState pool : poll.pools()) {
            if (pool.workers().size() < 2) {
                continue; // no routing choice
            }
            double imbalance = pool.imbalance();
            String why = misrouted(pool, imbalance);
            if (why != null && (found == null || imbalance > worstImbalance)) {
                found = why;
                worstImbalance = imbalance;
            }
        }
        recent.addFirst(found != null);
        while (recent.size() > 2 * config.confirmPolls() - 1) {
            recent.removeLast();
        }
        evidence = found != null ? found
                : "load even across every pool's workers, or no worker with room for the excess";
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

    /** Why the pool's load is routing's doing, or null when it is not. */
    private String misrouted(PoolState pool, double imbalance) {
        long withRoom = pool.workers().size() - pool.workersAtCap(caps);
        if (imbalance >= config.minImbalance() && withRoom > 0 && busy(busiest(pool))) {
            return String.format(Locale.ROOT, "pool %s unevenly loaded (imbalance %.2f >= %.2f, %d/%d workers with"
                    + " room)", pool.pool(), imbalance, config.minImbalance(), withRoom, pool.workers().size());
        }
        Backlog backlog = Backlog.of(pool, caps);
        int stranded = backlog.stranded();
        if (stranded >= Math.max(STRANDED_MIN_REQUESTS, config.minStrandedShare() * slots(pool))) {
            return backlog.hasRoom()
                    ? String.format(Locale.ROOT, "pool %s misrouted (%d requests waiting on full workers while"
                            + " others have room for them, imbalance %.2f)", pool.pool(), stranded, imbalance)
                    : String.format(Locale.ROOT, "pool %s misrouted (%d requests queued beyond an even share of the"
                            + " backlog on full workers, imbalance %.2f)", pool.pool(), stranded, imbalance);
        }
        return null;
    }

    private static int slots(PoolState pool) {
        return pool.workers().stream().mapToInt(WorkerState::maxNumSeqs).sum();
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
