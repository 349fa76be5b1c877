package dev.equilibria.monitor.poll;

import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.control.controller.RoutingAction;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the dashboard shows after one poll; served at {@code /api/snapshot} and pushed on {@code /api/stream}.
 * Numbers that are unknown (NaN) are null, so the JSON stays valid and charts show a gap.
 *
 * @param poll       the poll's sequence number since startup
 * @param point      this poll's values of every chart series
 * @param workers    per-worker load and traffic share, by worker id
 * @param transitions latest regime history entries, oldest first
 */
public record DashboardSnapshot(long poll, long timestampMs, long pollIntervalMs, SeriesPoint point,
                                RegimeView regime, ThresholdsView thresholds, Map<String, PoaView> poaHat,
                                InflationView ttftInflation, Map<String, ImbalanceView> loadImbalance,
                                PdSplit pdSplit, List<WorkerView> workers, List<TransitionView> transitions,
                                SourcesView sources) {

    /** NaN and infinities as null. */
    static Double num(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The regime's state and why. */
    public record RegimeView(String regime, String detected, String forced, String indicated, String reason,
                             List<String> signals, Double ttftEwmaMs, Double utilisation, String hottestPool,
                             Double load, RouteView routing, List<String> capacityBoundPools, boolean calibrating) {
    }

    /** Router settings as published. */
    public record RouteView(String policy, Double overlapScoreWeight, Double routerTemperature,
                            Boolean refuseWhenFull) {

        public static RouteView of(RoutingAction a) {
            return new RouteView(a.policy(), a.overlapScoreWeight(), a.routerTemperature(), a.refuseWhenFull());
        }
    }

    /**
     * The detector's thresholds and parameters; the admin API's {@code GET}/{@code PUT /admin/thresholds} shape.
     */
    public record ThresholdsView(Double theta1Ms, Double theta2Ms, String basis, Double ewmaAlpha,
                                 Integer confirmPolls, Double utilisationTransition, Double utilisationSaturated,
                                 Double queueCap, Double kvCap, Double symptomExitMargin, Double loadExitMargin,
                                 String exitLoadSignal) {

        public static ThresholdsView of(Thresholds t, RegimeDetectorConfig c) {
            return new ThresholdsView(t.theta1Ms(), t.theta2Ms(), t.basis(), c.ewmaAlpha(), c.confirmPolls(),
                    c.transitionUtilisation(), c.saturatedUtilisation(), c.caps().queueCap(), c.caps().kvCap(),
                    c.symptomExitMargin(), c.loadExitMargin(), c.exitLoadSignal().name().toLowerCase(Locale.ROOT));
        }
    }

    /** PoA-hat of one leg. */
    public record PoaView(int windows, Double p50, Double p90, Double rolling, Double latest) {
    }

    /** TTFT inflation over the rolling window. */
    public record InflationView(int samples, Double mean, Double p99, Double queueingShare, Double meanObservedMs,
                                Double meanZeroLoadMs) {
    }

    /** Load imbalance of one leg. */
    public record ImbalanceView(int decisions, Double mean, Double p90, Double max) {
    }

    /**
     * The P/D split: the allocator's latest decision and the live workers by role.
     *
     * @param live workers with a fresh heartbeat, by role
     */
    public record PdSplit(Integer prefillWorkers, Integer decodeWorkers, String allocationReason,
                          Long allocationTimestampMs, Map<String, Integer> live) {
    }

    /** One worker's load and its share of its leg's traffic. */
    public record WorkerView(String workerId, String role, int running, int waiting, int maxNumSeqs, Double kvUsage,
                             Double utilisation, boolean atCap, Double trafficShare, Double prefixCacheHitRate,
                             long reportAgeMs) {
    }

    /** A history entry. */
    public record TransitionView(long timestampMs, String from, String to, List<String> signals, String reason,
                                 RouterConfigOverride published) {

        public static TransitionView of(RegimeTransition t) {
            return new TransitionView(t.timestampMs(), t.from().name(), t.to().name(),
                    t.signals().stream().map(Signal::name).sorted().toList(), t.reason(), t.published());
        }
    }

    /**
     * Where this poll's figures came from.
     *
     * @param ttftSource  {@code records} (request records), {@code scrape} (the metrics source) or {@code none}
     * @param loadSource  offered load from {@code decisions} (arrival rate), {@code records} (completion rate),
     *                    {@code scrape} or {@code none}
     */
    public record SourcesView(String metrics, int targetsUp, int targets, String metricsError, int decisionsInWindow,
                              int recordsInWindow, int recordErrorsInWindow, String ttftSource, String loadSource,
                              int workersReporting) {
    }
}
