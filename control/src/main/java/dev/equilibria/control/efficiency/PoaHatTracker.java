package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Accumulates routing decisions per leg into PoA-hat windows and keeps the closed ones.
 *
 * <p>A window closes when it holds {@code poa_window_requests} decisions, when a decision arrives
 * {@code poa_window_ms} or more after the window's first one (or {@link #advance} is called that late), or when a
 * decision carries other router settings than the window's: a window then always has one {@code w}, and a
 * controller switch never mixes two objectives in one matrix. Time comes only from decision timestamps and the
 * caller's {@code nowMs}. Thread-safe.
 */
public final class PoaHatTracker {

    private final PoaHatConfig config;
    private final PoaHatCalculator calculator;
    private final Map<RoutingLeg, List<RoutingDecision>> open = new EnumMap<>(RoutingLeg.class);
    private final Map<RoutingLeg, Deque<PoaHatWindow>> closed = new EnumMap<>(RoutingLeg.class);

    public PoaHatTracker(PoaHatConfig config, PoaHatCalculator calculator) {
        this.config = config;
        this.calculator = calculator;
    }

    /** @return the windows this decision closed, oldest first (usually none) */
    public synchronized List<PoaHatWindow> record(RoutingDecision decision) {
        List<PoaHatWindow> done = new ArrayList<>(1);
        List<RoutingDecision> window = open.computeIfAbsent(decision.leg(), leg -> new ArrayList<>());
        if (!window.isEmpty()) {
            RoutingDecision first = window.get(0);
            boolean expired = decision.timestampMs() - first.timestampMs() >= config.windowMillis();
            boolean otherSettings = !Objects.equals(first.settings(), decision.settings());
            if (expired || otherSettings) {
                done.add(close(decision.leg()));
            }
        }
        window.add(decision);
        if (window.size() >= config.windowRequests()) {
            done.add(close(decision.leg()));
        }
        return done;
    }

    /** Closes every open window whose first decision is {@code poa_window_ms} or more before {@code nowMs}. */
    public synchronized List<PoaHatWindow> advance(long nowMs) {
        List<PoaHatWindow> done = new ArrayList<>();
        for (Map.Entry<RoutingLeg, List<RoutingDecision>> e : open.entrySet()) {
            List<RoutingDecision> window = e.getValue();
            if (!window.isEmpty() && nowMs - window.get(0).timestampMs() >= config.windowMillis()) {
                done.add(close(e.getKey()));
            }
        }
        return done;
    }

    public synchronized PoaHatSummary summary(RoutingLeg leg) {
        Deque<PoaHatWindow> windows = closed.getOrDefault(leg, new ArrayDeque<>());
        double[] ratios = windows.stream().mapToDouble(PoaHatWindow::ratio).toArray();
        double actual = 0;
        double optimal = 0;
        int pooled = 0;
        for (var it = windows.descendingIterator(); it.hasNext() && pooled < config.rollingWindows(); pooled++) {
            PoaHatWindow w = it.next();
            actual += w.actualCost();
            optimal += w.optimalCost();
        }
        double rolling = pooled == 0 ? Double.NaN : PoaHatWindow.ratio(actual, optimal);
        return new PoaHatSummary(leg, windows.size(), Percentiles.of(ratios, 0.5), Percentiles.of(ratios, 0.9),
                rolling, windows.peekLast());
    }

    /** Closed windows of the leg, oldest first. */
    public synchronized List<PoaHatWindow> windows(RoutingLeg leg) {
        return List.copyOf(closed.getOrDefault(leg, new ArrayDeque<>()));
    }

    private PoaHatWindow close(RoutingLeg leg) {
        List<RoutingDecision> window = open.get(leg);
        List<RoutingDecision> decisions = List.copyOf(window);
        window.clear(); // first: a window the calculator rejects must not block every later decision of the leg
        PoaHatWindow result = calculator.compute(leg, decisions);
        Deque<PoaHatWindow> history = closed.computeIfAbsent(leg, l -> new ArrayDeque<>());
        history.addLast(result);
        while (history.size() > config.historyWindows()) {
            history.removeFirst();
        }
        return result;
    }
}
