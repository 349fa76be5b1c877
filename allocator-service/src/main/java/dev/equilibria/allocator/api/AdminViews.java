package dev.equilibria.allocator.api;

import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.allocator.inputs.CapacityAlertBoard;
import dev.equilibria.control.allocation.AllocationDecision;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.game.Claims;
import dev.equilibria.control.game.CompetitionOutcome;
import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.Slo;
import dev.equilibria.control.game.Split;
import dev.equilibria.control.game.SplitOutcome;
import dev.equilibria.control.game.VariationalEquilibrium;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON documents of the admin API (snake_case). Numbers that are not finite (the latency of a saturated pool, the
 * price of anarchy against a zero-cost optimum) are written as {@code null}: JSON has no infinity. Rates are
 * requests per second and latencies seconds of GPU time.
 */
public final class AdminViews {

    private AdminViews() {
    }

    /** {@code null} for NaN and infinities. */
    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    @Schema(description = "Workers per pool")
    public record SplitView(int prefill, int decode) {

        static SplitView of(Split s) {
            return s == null ? null : new SplitView(s.prefillWorkers(), s.decodeWorkers());
        }
    }

    @Schema(description = "Demand, GPU time")
    public record WorkloadView(Double arrivalRate, Double meanInputTokens, Double p90InputTokens,
                               Double meanOutputTokens, Double prefixHitRate) {

        static WorkloadView of(Workload w) {
            return w == null ? null : new WorkloadView(finite(w.arrivalRate()), finite(w.meanInputTokens()),
                    finite(w.p90InputTokens()), finite(w.meanOutputTokens()), finite(w.prefixHitRate()));
        }
    }

    @Schema(description = "Service-level objectives in seconds")
    public record SloView(double ttftSeconds, double itlSeconds) {

        static SloView of(Slo slo) {
            return new SloView(slo.ttftSeconds(), slo.itlSeconds());
        }
    }

    @Schema(description = "What the pool models predict for one split; null where a pool is saturated")
    public record OutcomeView(SplitView split, Double ttftSeconds, Double itlSeconds, Double prefillUtilisation,
                              Double decodeUtilisation, Double prefillCost, Double decodeCost, Double socialCost,
                              Double attainment, Double goodput) {

        static OutcomeView of(SplitOutcome o) {
            return o == null ? null : new OutcomeView(SplitView.of(o.split()), finite(o.prefill().latencySeconds()),
                    finite(o.decode().latencySeconds()), finite(o.prefill().utilisation()),
                    finite(o.decode().utilisation()), finite(o.prefillCost()), finite(o.decodeCost()),
                    finite(o.socialCost()), finite(o.attainment()), finite(o.goodput()));
        }
    }

    @Schema(description = "The variational equilibrium: equal marginal utility per worker")
    public record EquilibriumView(Double continuousPrefillWorkers, Double marginalUtility, Double marginalGap,
                                  boolean interior, SplitView split, OutcomeView outcome) {
    }

    @Schema(description = "Unregulated competition between the pools for workers")
    public record CompetitionView(@Schema(allowableValues = {"fixed_point", "cycle"}) String dynamics,
                                  SplitView split, List<SplitView> cycle, List<SplitView> trajectoryClaims,
                                  Double socialCost, Double goodput) {

        static CompetitionView of(CompetitionOutcome c) {
            return new CompetitionView(c.kind().name().toLowerCase(Locale.ROOT), SplitView.of(c.split()),
                    c.cycle().stream().map(SplitView::of).toList(),
                    c.trajectory().stream().map(AdminViews::claims).toList(), finite(c.socialCost()),
                    finite(c.goodput()));
        }
    }

    @Schema(description = "Prices of anarchy: social cost of an outcome over the optimum's; goodput lost as a share")
    public record PoaView(Double equilibrium, Double competition, Double goodputGapEquilibrium,
                          Double goodputGapCompetition) {
    }

    @Schema(description = "The solved prefill/decode game")
    public record GameView(WorkloadView workload, int budget, SloView slo, EquilibriumView equilibrium,
                           OutcomeView optimum, CompetitionView competition, PoaView poa, List<OutcomeView> splits) {

        static GameView of(GameResult r) {
            if (r == null) {
                return null;
            }
            VariationalEquilibrium ve = r.equilibrium();
            return new GameView(WorkloadView.of(r.workload()), r.budget(), SloView.of(r.slo()),
                    new EquilibriumView(finite(ve.continuousPrefillWorkers()), finite(ve.marginalUtility()),
                            finite(ve.marginalGap()), ve.interior(), SplitView.of(ve.split()),
                            OutcomeView.of(r.equilibriumOutcome())),
                    OutcomeView.of(r.optimum()), CompetitionView.of(r.competition()),
                    new PoaView(finite(r.poaEquilibrium()), finite(r.poaCompetition()),
                            finite(r.goodputGapEquilibrium()), finite(r.goodputGapCompetition())),
                    r.splits().stream().map(OutcomeView::of).toList());
        }
    }

    @Schema(description = "One allocation decision with every reason, in order")
    public record DecisionView(Instant at, @Schema(allowableValues = {"keep", "change"}) String action,
                               boolean applied, String reasonCode, SplitView current, SplitView target,
                               SplitView next, Double goodputGain, Double costGain, List<String> reasons) {

        static DecisionView of(AllocationDecision d, String code) {
            return d == null ? null : new DecisionView(d.at(), d.action().name().toLowerCase(Locale.ROOT),
                    d.applied(), code, SplitView.of(d.current()), SplitView.of(d.target()), SplitView.of(d.next()),
                    finite(d.goodputGain()), finite(d.costGain()), d.reasons());
        }
    }

    @Schema(description = "What the gateway measured over the window, GPU time")
    public record MeasuredView(int requests, Double ttftSeconds, Double itlSeconds, Double prefixHitRate) {

        static MeasuredView of(DemandTracker.Measured m) {
            return new MeasuredView(m.requests(), finite(m.ttftSeconds()), finite(m.itlSeconds()),
                    finite(m.prefixHitRate()));
        }
    }

    @Schema(description = "Demand seen over the window and forecast a horizon ahead")
    public record DemandView(@Schema(allowableValues = {"decision_log", "worker_load", "none"}) String source,
                             WorkloadView observed, WorkloadView forecast, Double loadImpliedPrefillUtilisation,
                             MeasuredView measured) {
    }

    @Schema(description = "The budget: workers the two pools share")
    public record BudgetView(Integer configured, int effective, int liveWorkers,
                             @Schema(allowableValues = {"configured", "live_workers"}) String source) {
    }

    @Schema(description = "The monitor's latest capacity alert for a pool")
    public record AlertView(@Schema(allowableValues = {"raised", "cleared"}) String state, boolean dwellBypassArmed,
                            long timestampMs, int workers, int workersAtCap, Double utilisation, Double imbalance,
                            String reason) {

        static AlertView of(CapacityAlertBoard.PoolAlert a) {
            return new AlertView(a.raised() ? "raised" : "cleared", a.bypassArmed(), a.alert().timestampMs(),
                    a.alert().workers(), a.alert().workersAtCap(), finite(a.alert().utilisation()),
                    finite(a.alert().imbalance()), a.alert().reason());
        }
    }

    @Schema(description = "Whether the allocator acts on its decisions")
    public record ActuationView(String actuator, boolean advisory, boolean paused, Instant pausedSince,
                                String pending, Instant lastChange) {
    }

    @Schema(description = "The allocator's current view: split, last decision, game analysis, demand")
    public record AllocationView(Instant evaluatedAt, SplitView current, SplitView target, int aggregatedWorkers,
                                 BudgetView budget, ActuationView actuation, DecisionView lastDecision,
                                 String skipped, GameView game, OutcomeView predictedCurrent,
                                 OutcomeView predictedTarget, DemandView demand, Map<String, AlertView> capacityAlerts,
                                 Map<String, Double> routingWeights) {
    }

    @Schema(description = "A solve of the game for a given load, without acting")
    public record WhatIfView(String objective, SplitView recommended, GameView game, OutcomeView currentSplit) {
    }

    private static SplitView claims(Claims c) {
        return new SplitView(c.prefill(), c.decode());
    }
}
