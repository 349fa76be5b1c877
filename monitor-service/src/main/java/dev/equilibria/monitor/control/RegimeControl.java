package dev.equilibria.monitor.control;

import dev.equilibria.control.controller.AdaptiveRoutingController;
import dev.equilibria.control.controller.CapacityAlert;
import dev.equilibria.control.controller.CapacityAlertConfig;
import dev.equilibria.control.controller.CapacityAlertDetector;
import dev.equilibria.control.controller.ControlDecision;
import dev.equilibria.control.controller.ControllerConfig;
import dev.equilibria.control.controller.ControllerStatus;
import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.control.controller.RoutingAction;
import dev.equilibria.control.controller.RoutingAttribution;
import dev.equilibria.control.controller.RoutingAttributionConfig;
import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetector;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.RegimeReading;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.control.regime.ThresholdCalibrator;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's control state around the library's {@link AdaptiveRoutingController}: feeds it the polls, sends its
 * overrides and capacity alerts to the {@link ControlSink}, keeps the transition history, and lets an operator force
 * a regime, release it, or change the thresholds, detector parameters and routing table at run time.
 *
 * <p>The library's detector and table are immutable, so a change of parameters builds a new controller and replays
 * the kept polls through it silently: the new one then holds the EWMAs and the regime the new parameters would have
 * produced on the same data. If its routing differs from what the gateways run, the difference is published at
 * once, and capacity alerts are raised or cleared to match. A forced regime stays forced. All methods are
 * synchronized: the poll loop and the admin API call them from different threads.
 */
public final class RegimeControl {

    private static final Logger log = LoggerFactory.getLogger(RegimeControl.class);

    /** Plateau calibration: the warm-up's polls and what to do once they are in. */
    public record Plateau(ThresholdCalibrator calibrator, int warmupPolls, double warmupUtilisation) {
    }

    private final ControlSink sink;
    private final CapacityAlertConfig capacityConfig;
    private final RoutingAttributionConfig attributionConfig;
    private final ControllerConfig controllerConfig;
    private final int replayPolls;
    private final Deque<Poll> polls = new ArrayDeque<>();
    private final Deque<RegimeTransition> history = new ArrayDeque<>();
    private final Map<String, CapacityAlert> announced = new HashMap<>();
    private final List<Double> warmup = new ArrayList<>();

    private RegimeDetectorConfig detectorConfig;
    private Thresholds thresholds;
    private RegimeRoutingTable table;
    private AdaptiveRoutingController controller;
    private RegimeReading lastReading;
    private Plateau plateau;

    public RegimeControl(RegimeDetectorConfig detectorConfig, Thresholds thresholds, RegimeRoutingTable table,
                         CapacityAlertConfig capacityConfig, RoutingAttributionConfig attributionConfig,
                         ControllerConfig controllerConfig, int replayPolls, Plateau plateau, ControlSink sink) {
        this.detectorConfig = detectorConfig.withThresholds(thresholds);
        this.thresholds = thresholds;
        this.table = table;
        this.capacityConfig = capacityConfig;
        this.attributionConfig = attributionConfig;
        this.controllerConfig = controllerConfig;
        this.replayPolls = replayPolls;
        this.plateau = plateau;
        this.sink = sink;
        this.controller = build(this.detectorConfig, table);
        log.info("regime thresholds theta1 {} ms, theta2 {} ms ({})", fmt(thresholds.theta1Ms()),
                fmt(thresholds.theta2Ms()), thresholds.basis());
    }

    public synchronized ControlDecision onPoll(Poll poll) {
        polls.addLast(poll);
        while (polls.size() > replayPolls) {
            polls.removeFirst();
        }
        ControlDecision decision = controller.onPoll(poll);
        lastReading = decision.reading();
        decision.override().ifPresent(sink::override);
        for (CapacityAlert alert : decision.alerts()) {
            send(alert);
        }
        decision.transition().ifPresent(this::remember);
        calibrateFromPlateau(poll);
        return decision;
    }

    /** Pins {@code regime}'s routing until {@link #release}; returns the history entry. */
    public synchronized RegimeTransition force(Regime regime, String reason, long nowMs) {
        controller.force(regime, reason, nowMs).ifPresent(sink::override);
        return rememberLatest();
    }

    /** Hands routing back to the detector; empty when nothing was forced. */
    public synchronized Optional<RegimeTransition> release(String reason, long nowMs) {
        if (controller.status().forced() == null) {
            return Optional.empty();
        }
        controller.release(reason, nowMs).ifPresent(sink::override);
        return Optional.of(rememberLatest());
    }

    /**
     * Replaces the detector parameters (thresholds included) and the routing table, all or nothing: the caller
     * builds and so validates the configs first.
     *
     * @return the history entry, when the regime or the routing changed
     */
    public synchronized Optional<RegimeTransition> reconfigure(RegimeDetectorConfig newConfig, Thresholds newThresholds,
                                                               RegimeRoutingTable newTable, String reason,
                                                               long nowMs) {
        RegimeDetectorConfig config = newConfig.withThresholds(newThresholds);
        ControllerStatus before = controller.status();
        AdaptiveRoutingController fresh = build(config, newTable);
        Map<String, CapacityAlert> replayAnnounced = new HashMap<>();
        RegimeReading reading = lastReading;
        for (Poll p : polls) {
            ControlDecision d = fresh.onPoll(p);
            reading = d.reading();
            for (CapacityAlert a : d.alerts()) {
                if (a.status() == CapacityAlert.Status.RAISED) {
                    replayAnnounced.put(a.pool(), a);
                } else {
                    replayAnnounced.remove(a.pool());
                }
            }
        }
        if (before.forced() != null) {
            fresh.force(before.forced(), "kept across reconfiguration", nowMs);
        }
        this.detectorConfig = config;
        this.thresholds = newThresholds;
        this.table = newTable;
        this.controller = fresh;
        this.lastReading = reading;
        String why = String.format(Locale.ROOT, "%s: theta1 %s ms, theta2 %s ms (%s); replayed %d polls", reason,
                fmt(newThresholds.theta1Ms()), fmt(newThresholds.theta2Ms()), newThresholds.basis(), polls.size());
        log.info("reconfigured: {}", why);

        for (String pool : new ArrayList<>(announced.keySet())) {
            if (!replayAnnounced.containsKey(pool)) {
                CapacityAlert old = announced.get(pool);
                send(new CapacityAlert(nowMs, pool, CapacityAlert.Status.CLEARED, old.workers(), old.workersAtCap(),
                        old.utilisation(), old.imbalance(), "pool " + pool + " no longer capacity-bound after " + why));
            }
        }
        for (CapacityAlert a : replayAnnounced.values()) {
            if (!announced.containsKey(a.pool())) {
                send(new CapacityAlert(nowMs, a.pool(), CapacityAlert.Status.RAISED, a.workers(), a.workersAtCap(),
                        a.utilisation(), a.imbalance(), a.reason() + " (after " + reason + ")"));
            }
        }

        ControllerStatus after = fresh.status();
        RouterConfigOverride published = null;
        if (!after.applied().equals(before.applied())) {
            RoutingAction action = after.applied();
            published = action.override(controllerConfig.source(), nowMs, why + "; routing " + action);
            sink.override(published);
        }
        if (published == null && after.regime() == before.regime()) {
            return Optional.empty();
        }
        RegimeTransition t = new RegimeTransition(nowMs, before.regime(), after.regime(), Set.of(Signal.MANUAL),
                why + (published == null ? "" : "; routing " + after.applied()), published);
        remember(t);
        return Optional.of(t);
    }

    /** The settings in force as an override, for republishing at startup and periodically. */
    public synchronized RouterConfigOverride currentOverride(long nowMs) {
        return controller.currentOverride(nowMs);
    }

    public synchronized ControllerStatus status() {
        return controller.status();
    }

    public synchronized Regime regime() {
        return controller.regime();
    }

    /** The latest poll's reading, or null before the first poll. */
    public synchronized RegimeReading lastReading() {
        return lastReading;
    }

    public synchronized Thresholds thresholds() {
        return thresholds;
    }

    public synchronized RegimeDetectorConfig detectorConfig() {
        return detectorConfig;
    }

    public synchronized RegimeRoutingTable routingTable() {
        return table;
    }

    /** Latest history entries, oldest first. */
    public synchronized List<RegimeTransition> history() {
        return List.copyOf(history);
    }

    /** Whether plateau calibration is still collecting its warm-up. */
    public synchronized boolean calibrating() {
        return plateau != null;
    }

    private void calibrateFromPlateau(Poll poll) {
        if (plateau == null || Double.isNaN(poll.ttftP99Ms())) {
            return;
        }
        warmup.add(poll.ttftP99Ms());
        if (warmup.size() < plateau.warmupPolls()) {
            return;
        }
        Plateau done = plateau;
        plateau = null;
        try {
            Thresholds calibrated = done.calibrator().fromObservedPlateau(warmup, done.warmupUtilisation());
            reconfigure(detectorConfig, calibrated, table, "plateau calibration", poll.timestampMs());
        } catch (IllegalArgumentException e) {
            log.warn("plateau calibration failed, keeping theta1 {} ms, theta2 {} ms: {}",
                    fmt(thresholds.theta1Ms()), fmt(thresholds.theta2Ms()), e.getMessage());
        }
        warmup.clear();
    }

    private AdaptiveRoutingController build(RegimeDetectorConfig config, RegimeRoutingTable routing) {
        return new AdaptiveRoutingController(new RegimeDetector(config), routing,
                new CapacityAlertDetector(capacityConfig, config.caps()),
                new RoutingAttribution(attributionConfig, config.caps()), controllerConfig);
    }

    private void send(CapacityAlert alert) {
        if (alert.status() == CapacityAlert.Status.RAISED) {
            announced.put(alert.pool(), alert);
        } else {
            announced.remove(alert.pool());
        }
        sink.alert(toEvent(alert));
    }

    private RegimeTransition rememberLatest() {
        List<RegimeTransition> own = controller.history();
        RegimeTransition t = own.get(own.size() - 1);
        remember(t);
        return t;
    }

    private void remember(RegimeTransition t) {
        history.addLast(t);
        while (history.size() > controllerConfig.historySize()) {
            history.removeFirst();
        }
        sink.transition(t);
    }

    /** The library's alert as the protocol event the allocator reads. */
    public static dev.equilibria.protocol.event.CapacityAlert toEvent(CapacityAlert a) {
        return new dev.equilibria.protocol.event.CapacityAlert(a.timestampMs(), a.pool(),
                a.status().name().toLowerCase(Locale.ROOT), a.workers(), a.workersAtCap(), a.utilisation(),
                a.imbalance(), a.reason());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
