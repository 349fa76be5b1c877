package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.UtilisationCaps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells capacity-bound saturation from routing-bound saturation, per pool: a pool whose workers are all at their cap
 * while its load is evenly spread has nothing left for routing to move.
 *
 * <p>The condition is tracked in every regime (confirmed and cleared by {@code capacity_confirm_polls} agreeing
 * polls), so that it is already known when the detector enters SATURATED and the controller can hold routing from
 * the first saturated poll. Alerts are sent only while the fleet is SATURATED: raised once, repeated every
 * {@code capacity_repeat_ms}, cleared once. Not thread-safe; the controller guards it.
 */
public final class CapacityAlertDetector {

    private static final class PoolAlert {
        boolean bound;
        int run;
        boolean announced;
        long lastSentMs;
    }

    private final CapacityAlertConfig config;
    private final UtilisationCaps caps;
    private final Map<String, PoolAlert> pools = new HashMap<>();

    public CapacityAlertDetector(CapacityAlertConfig config, UtilisationCaps caps) {
        this.config = config;
        this.caps = caps;
    }

    public static CapacityAlertDetector defaults(UtilisationCaps caps) {
        return new CapacityAlertDetector(CapacityAlertConfig.defaults(), caps);
    }

    /** @return alerts raised, repeated or cleared by this poll */
    public List<CapacityAlert> observe(Poll poll, Regime regime) {
        List<CapacityAlert> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PoolState pool : poll.pools()) {
            seen.add(pool.pool());
            PoolAlert state = pools.computeIfAbsent(pool.pool(), p -> new PoolAlert());
            int workers = pool.workers().size();
            int atCap = (int) pool.workersAtCap(caps);
            double imbalance = pool.imbalance();
            boolean bound = workers > 0 && atCap >= Math.ceil(config.atCapShare() * workers - 1e-9)
                    && imbalance <= config.maxImbalance();
            // The run counts polls that disagree with the confirmed condition.
            state.run = bound != state.bound ? state.run + 1 : 0;
            if (state.run >= config.confirmPolls()) {
                state.bound = bound;
                state.run = 0;
            }
            boolean announce = state.bound && regime == Regime.SATURATED;
            String figures = String.format(Locale.ROOT, "%d/%d workers at cap, utilisation %.2f, imbalance %.2f",
                    atCap, workers, pool.utilisation(caps), imbalance);
            if (announce && !state.announced) {
                state.announced = true;
                state.lastSentMs = poll.timestampMs();
                out.add(alert(poll, pool, CapacityAlert.Status.RAISED, atCap, imbalance, "pool " + pool.pool()
                        + " saturated with its load spread evenly (" + figures + "): routing cannot help, add capacity"));
            } else if (announce && poll.timestampMs() - state.lastSentMs >= config.repeatMillis()) {
                state.lastSentMs = poll.timestampMs();
                out.add(alert(poll, pool, CapacityAlert.Status.RAISED, atCap, imbalance,
                        "pool " + pool.pool() + " still capacity-bound (" + figures + ")"));
            } else if (!announce && state.announced) {
                state.announced = false;
                out.add(alert(poll, pool, CapacityAlert.Status.CLEARED, atCap, imbalance, "pool " + pool.pool()
                        + " no longer capacity-bound (" + figures + ", regime " + regime + ")"));
            }
        }
        for (Map.Entry<String, PoolAlert> e : pools.entrySet()) {
            if (!seen.contains(e.getKey()) && e.getValue().announced) {
                out.add(new CapacityAlert(poll.timestampMs(), e.getKey(), CapacityAlert.Status.CLEARED, 0, 0, 0, 1,
                        "pool " + e.getKey() + " no longer reported"));
            }
        }
        pools.keySet().retainAll(seen);
        return out;
    }

    /** Whether any pool is confirmed capacity-bound, whatever the regime. */
    public boolean anyBound() {
        return pools.values().stream().anyMatch(p -> p.bound);
    }

    /** Pools confirmed capacity-bound. */
    public Set<String> boundPools() {
        Set<String> bound = new HashSet<>();
        pools.forEach((name, state) -> {
            if (state.bound) {
                bound.add(name);
            }
        });
        return Set.copyOf(bound);
    }

    private CapacityAlert alert(Poll poll, PoolState pool, CapacityAlert.Status status, int atCap, double imbalance,
                                String reason) {
        return new CapacityAlert(poll.timestampMs(), pool.pool(), status, pool.workers().size(), atCap,
                pool.utilisation(caps), imbalance, reason);
    }
}
