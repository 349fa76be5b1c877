package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetector;
import dev.equilibria.control.regime.RegimeReading;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns regime changes into router settings: each poll goes through the {@link RegimeDetector}, the regime through
 * the {@link RegimeRoutingTable}, and a change of settings becomes a {@code RouterConfigOverride}.
 *
 * <p>Routing changes only when the saturation is routing's doing. Above BELOW, the table's setting for the regime is
 * applied once {@link RoutingAttribution} has confirmed, from the workers' own load reports, that one pool's load is
 * misrouted: uneven while some of its workers have room, or with requests stranded on full workers (a herd on a
 * stale or partial view of load). Until then the BELOW setting stays: near the knee with even load, queueing is a
 * capacity matter and a load-balancing setting only costs cache hits (and, with sampling, overfills single
 * workers). Once applied, the balancing setting stays until the detector returns to BELOW, which needs the offered
 * load itself to fall: the balancing removes the imbalance and the symptom, so leaving on either would bring the
 * herd back.
 *
 * <p>When SATURATED is a capacity problem (the {@link CapacityAlertDetector} has a raised alert), the routing stays
 * as it was and the alert goes to the allocator instead: changing routing there costs throughput (lost cache hits)
 * and buys nothing. Unless routing is to blame as well, in another pool: a pool that is misrouted has a worker with
 * room, so it is not the capacity-bound one, and its herd costs throughput the allocator cannot win back (measured
 * on {@code 1p5d-70b} at C = 1,536 with metrics polled every 5 s: the single prefill worker at its cap, the decode
 * legs herded onto one of five workers, 680 req/s against 978 with the ledger). Then both happen: the alert for the
 * bound pool, the balancing settings for the herd.
 *
 * <p>An operator can force a regime, which pins its routing until released; detection keeps running meanwhile. The
 * controller starts assuming the gateways run the BELOW action; a service that cannot be sure of that publishes
 * {@link #currentOverride} at startup.
 *
 * <p>Thread-safe: the poll loop and the admin API may call it concurrently. Time comes from the polls and the callers.
 */
public final class AdaptiveRoutingController {

    private static final System.Logger LOG = System.getLogger(AdaptiveRoutingController.class.getName());

    private final RegimeDetector detector;
    private final RegimeRoutingTable table;
    private final CapacityAlertDetector capacity;
    private final RoutingAttribution attribution;
    private final ControllerConfig config;
    private final Deque<RegimeTransition> history = new ArrayDeque<>();

    private RoutingAction applied;
    /** What automatic control last chose; kept while capacity-bound and restored after a forced regime. */
    private RoutingAction automatic;
    private Regime forced;
    /** Routing was found to blame since the fleet last left BELOW: the table's balancing settings are in force. */
    private boolean balancing;

    /** With the default {@link RoutingAttributionConfig} over the detector's utilisation caps. */
    public AdaptiveRoutingController(RegimeDetector detector, RegimeRoutingTable table,
                                     CapacityAlertDetector capacity, ControllerConfig config) {
        this(detector, table, capacity, RoutingAttribution.defaults(detector.config().caps()), config);
    }

    public AdaptiveRoutingController(RegimeDetector detector, RegimeRoutingTable table,
                                     CapacityAlertDetector capacity, RoutingAttribution attribution,
                                     ControllerConfig config) {
        this.detector = detector;
        this.table = table;
        this.capacity = capacity;
        this.attribution = attribution;
        this.config = config;
        this.applied = table.actionFor(Regime.BELOW);
        this.automatic = applied;
    }

    public synchronized ControlDecision onPoll(Poll poll) {
        // the load condition guards against taking our own routing change for relief: without one it has nothing to
        // guard (a fresh fleet's slow first requests entered a regime the load never justified)
        detector.holdOnLoad(balancing);
        RegimeReading reading = detector.observe(poll);
        List<CapacityAlert> alerts = capacity.observe(poll, reading.regime());
        boolean misrouted = attribution.observe(poll);
        boolean wasBalancing = balancing;
        if (reading.regime() == Regime.BELOW) {
            balancing = false;
        } else if (misrouted) {
            balancing = true;
        }
        if (balancing && !wasBalancing) {
            detector.anchorLoad();
        }
        RouterConfigOverride override = null;
        RegimeTransition transition = null;
        if (forced == null) {
            boolean bound = capacityBound(reading.regime());
            RoutingAction desired = automaticAction(reading.regime(), bound);
            if (reading.changed() || !desired.equals(applied)) {
                String reason = reason(reading, bound, desired, balancing && !wasBalancing);
                if (!desired.equals(applied)) {
                    override = publish(desired, poll.timestampMs(), reason);
                }
                Set<Signal> signals = reading.changed() ? reading.signals()
                        : balancing && !wasBalancing ? Set.of(Signal.LOAD_IMBALANCE) : Set.of(Signal.UTILISATION);
                transition = remember(poll.timestampMs(), reading.previous(), reading.regime(), signals, reason,
                        override);
            }
            automatic = desired;
        } else if (reading.changed()) {
            LOG.log(Level.INFO, "detected {0} -> {1} while {2} is forced: {3}", reading.previous(), reading.regime(),
                    forced, reading.reason());
        }
        return new ControlDecision(reading, regime(), Optional.ofNullable(override), Optional.ofNullable(transition),
                alerts);
    }

    /** Pins routing to {@code regime}'s action until {@link #release}; the admin API calls it. */
    public synchronized Optional<RouterConfigOverride> force(Regime regime, String reason, long nowMs) {
        Regime from = regime();
        forced = regime;
        String why = "forced " + regime + " by operator: " + reason;
        RoutingAction desired = table.actionFor(regime);
        RouterConfigOverride override = desired.equals(applied) ? null : publish(desired, nowMs, why);
        remember(nowMs, from, regime, Set.of(Signal.MANUAL), why, override);
        return Optional.ofNullable(override);
    }

    /** Hands routing back to the detector. */
    public synchronized Optional<RouterConfigOverride> release(String reason, long nowMs) {
        if (forced == null) {
            return Optional.empty();
        }
        Regime from = forced;
        forced = null;
        Regime detected = detector.regime();
        RoutingAction desired = automaticAction(detected, capacityBound(detected));
        automatic = desired;
        String why = "released forced " + from + " by operator: " + reason + "; detected regime " + detected;
        RouterConfigOverride override = desired.equals(applied) ? null : publish(desired, nowMs, why);
        remember(nowMs, from, detected, Set.of(Signal.MANUAL), why, override);
        return Optional.ofNullable(override);
    }

    /** The routing in force as an override, for republishing (startup, a gateway that missed one). */
    public synchronized RouterConfigOverride currentOverride(long nowMs) {
        return override(applied, nowMs, "current settings for regime " + regime());
    }

    public synchronized Regime regime() {
        return forced != null ? forced : detector.regime();
    }

    public synchronized ControllerStatus status() {
        return new ControllerStatus(regime(), detector.regime(), forced, applied, capacity.boundPools(), balancing);
    }

    /** Latest transitions, oldest first, at most {@code controller_history_size}. */
    public synchronized List<RegimeTransition> history() {
        return List.copyOf(history);
    }

    private boolean capacityBound(Regime regime) {
        return regime == Regime.SATURATED && capacity.anyBound();
    }

    private RoutingAction automaticAction(Regime regime, boolean capacityBound) {
        if (balancing) {
            return table.actionFor(regime);
        }
        return capacityBound ? automatic : table.actionFor(Regime.BELOW);
    }

    private String reason(RegimeReading reading, boolean bound, RoutingAction desired, boolean blamedNow) {
        String base = reading.changed() ? reading.reason()
                : blamedNow ? reading.regime() + " turned routing-bound"
                : reading.regime() + (bound ? " turned capacity-bound" : " no longer capacity-bound");
        if (bound && !balancing) {
            return base + "; capacity problem in pool(s) " + capacity.boundPools()
                    + ": routing kept at " + desired + ", allocator alerted";
        }
        if (reading.regime() != Regime.BELOW && !balancing) {
            return base + "; not routing's doing (" + attribution.evidence() + "): routing kept at " + desired;
        }
        String alerted = bound ? "; capacity problem in pool(s) " + capacity.boundPools() + ", allocator alerted" : "";
        if (blamedNow) {
            return base + alerted + "; " + attribution.evidence() + ", on " + attribution.config().confirmPolls()
                    + " of the last " + (2 * attribution.config().confirmPolls() - 1) + " polls: routing " + desired;
        }
        return base + alerted + "; routing " + desired;
    }

    private RouterConfigOverride publish(RoutingAction action, long nowMs, String reason) {
        applied = action;
        return override(action, nowMs, reason);
    }

    private RouterConfigOverride override(RoutingAction action, long nowMs, String reason) {
        return action.override(config.source(), nowMs, reason);
    }

    private RegimeTransition remember(long nowMs, Regime from, Regime to, Set<Signal> signals, String reason,
                                      RouterConfigOverride published) {
        RegimeTransition t = new RegimeTransition(nowMs, from, to, signals, reason, published);
        history.addLast(t);
        while (history.size() > config.historySize()) {
            history.removeFirst();
        }
        LOG.log(Level.INFO, "regime {0} -> {1} [{2}]: {3}", from, to, signals, reason);
        return t;
    }
}
