package dev.equilibria.allocator.api;

import dev.equilibria.allocator.api.AdminRequests.BudgetRequest;
import dev.equilibria.allocator.api.AdminRequests.SloRequest;
import dev.equilibria.allocator.api.AdminRequests.WhatIfRequest;
import dev.equilibria.allocator.api.AdminViews.ActuationView;
import dev.equilibria.allocator.api.AdminViews.AllocationView;
import dev.equilibria.allocator.api.AdminViews.AlertView;
import dev.equilibria.allocator.api.AdminViews.BudgetView;
import dev.equilibria.allocator.api.AdminViews.DecisionView;
import dev.equilibria.allocator.api.AdminViews.DemandView;
import dev.equilibria.allocator.api.AdminViews.GameView;
import dev.equilibria.allocator.api.AdminViews.MeasuredView;
import dev.equilibria.allocator.api.AdminViews.OutcomeView;
import dev.equilibria.allocator.api.AdminViews.SloView;
import dev.equilibria.allocator.api.AdminViews.SplitView;
import dev.equilibria.allocator.api.AdminViews.WhatIfView;
import dev.equilibria.allocator.api.AdminViews.WorkloadView;
import dev.equilibria.allocator.config.AllocatorModels;
import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.allocator.decision.AllocatorLoop;
import dev.equilibria.allocator.decision.AllocatorSettings;
import dev.equilibria.allocator.decision.AllocatorState;
import dev.equilibria.allocator.inputs.CapacityAlertBoard;
import dev.equilibria.allocator.metrics.AllocatorMetrics;
import dev.equilibria.control.allocation.Objective;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.GameSolver;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.Slo;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.registry.WorkerRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The allocator's admin API under {@code /admin} (bearer token, see service-support): the current allocation with
 * its game analysis, budget and SLOs, a what-if solve, and pausing actuation. Changes apply whole or not at all.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "allocator", description = "Prefill/decode split, game analysis, budget, SLOs, actuation")
@SecurityRequirement(name = AllocatorAdminController.SECURITY_SCHEME)
public class AllocatorAdminController {

    public static final String SECURITY_SCHEME = "admin-token";
    /** Largest SLO accepted, in seconds: anything longer is a unit mistake. */
    public static final double MAX_SLO_SECONDS = 3600;
    /** Largest what-if rate and token counts: beyond these the request is a typo, not a workload. */
    public static final double MAX_WHAT_IF_VALUE = 1e9;

    private final AllocatorLoop loop;
    private final AllocatorSettings settings;
    private final AllocatorProperties properties;
    private final AllocatorModels models;
    private final WorkerRegistry registry;
    private final CapacityAlertBoard alerts;
    private final AllocatorMetrics metrics;
    private final InstantSource clock;

    public AllocatorAdminController(AllocatorLoop loop, AllocatorSettings settings, AllocatorProperties properties,
                                    AllocatorModels models, WorkerRegistry registry, CapacityAlertBoard alerts,
                                    AllocatorMetrics metrics, InstantSource clock) {
        this.loop = loop;
        this.settings = settings;
        this.properties = properties;
        this.models = models;
        this.registry = registry;
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
    }

    @GetMapping("/allocation")
    @Operation(summary = "The current split, the last decision with its reasons, and the game analysis "
            + "(equilibrium, optimum, competition, prices of anarchy); non-finite numbers are null")
    public AllocationView allocation() {
        AllocatorState s = loop.state();
        Map<String, AlertView> alertViews = new TreeMap<>();
        alerts.all().forEach((pool, alert) -> alertViews.put(pool.name().toLowerCase(Locale.ROOT),
                AlertView.of(alert)));
        DemandView demand = s.observed() == null ? null : new DemandView(s.observed().source().wireName(),
                WorkloadView.of(s.observed().snapshot().workload()), WorkloadView.of(s.forecast()),
                AdminViews.finite(s.observed().prefillUtilisation()), MeasuredView.of(s.observed().measured()));
        return new AllocationView(s.at(), SplitView.of(s.current()),
                s.decision() == null ? null : SplitView.of(s.decision().target()), s.aggregatedWorkers(), budget(),
                actuation(), DecisionView.of(s.decision(), s.reasonCode()), s.skipped(), GameView.of(s.result()),
                OutcomeView.of(s.currentOutcome()), OutcomeView.of(s.targetOutcome()), demand, alertViews,
                s.weights());
    }

    @GetMapping("/budget")
    @Operation(summary = "The budget: workers the two pools share")
    public BudgetView budget() {
        Integer configured = settings.get().budget();
        int live = liveWorkers();
        int effective = configured == null ? live
                : properties.localActuator() ? Math.min(configured, live) : configured;
        return new BudgetView(configured, effective, live, configured == null ? "live_workers" : "configured");
    }

    @PutMapping(path = "/budget", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the budget ({\"budget\": N}) or follow the live worker count ({\"auto\": true})")
    public BudgetView setBudget(@RequestBody BudgetRequest request) {
        boolean auto = request.auto() != null && request.auto();
        if (auto && request.budget() != null) {
            throw new InvalidInputException("budget", "give either budget or auto: true, not both");
        }
        if (!auto && request.budget() == null) {
            throw new InvalidInputException("budget", "budget is required: a whole number of workers from 2 to "
                    + AllocatorProperties.MAX_BUDGET + ", or auto: true for the live worker count");
        }
        if (!auto) {
            try {
                AllocatorProperties.checkBudget(request.budget(), "budget");
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("budget", e.getMessage());
            }
        }
        settings.setBudget(auto ? null : request.budget());
        return budget();
    }

    @GetMapping("/slo")
    @Operation(summary = "The SLOs the pools play for, in seconds")
    public SloView slo() {
        return SloView.of(settings.get().slo());
    }

    @PutMapping(path = "/slo", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace both SLOs; the next decision uses them")
    public SloView setSlo(@RequestBody SloRequest request) {
        double ttft = seconds(request.ttftSeconds(), "ttft_seconds");
        double itl = seconds(request.itlSeconds(), "itl_seconds");
        settings.setSlo(new Slo(ttft, itl));
        return slo();
    }

    @PostMapping(path = "/what-if", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Solve the game for a given workload (GPU time) without acting")
    public Mono<WhatIfView> whatIf(@RequestBody WhatIfRequest request) {
        double rate = required(request.arrivalRate(), "arrival_rate");
        double input = required(request.meanInputTokens(), "mean_input_tokens");
        double output = required(request.meanOutputTokens(), "mean_output_tokens");
        double p90 = request.p90InputTokens() == null ? input : bounded(request.p90InputTokens(), "p90_input_tokens");
        double hit = request.prefixHitRate() == null ? 0 : request.prefixHitRate();
        if (!(hit >= 0 && hit <= 1)) {
            throw new InvalidInputException("prefix_hit_rate", "prefix_hit_rate must be within [0, 1], got " + hit);
        }
        int budget = request.budget() != null ? request.budget() : budget().effective();
        try {
            AllocatorProperties.checkBudget(budget, "budget");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("budget", e.getMessage()
                    + (request.budget() == null ? " (the current budget; give budget in the request)" : ""));
        }
        Workload workload = new Workload(rate, input, p90, output, hit);
        Slo slo = settings.get().slo();
        Split current = currentSplit();
        return Mono.fromCallable(() -> {
            GameSolver solver = models.solver(slo);
            PoolGame game = solver.game(workload, budget);
            GameResult result = solver.solve(game);
            Objective objective = properties.allocationParams().objective();
            Split recommended = objective == Objective.OPTIMUM ? result.optimum().split()
                    : result.equilibrium().split();
            OutcomeView now = current.total() == budget && current.prefillWorkers() > 0 && current.decodeWorkers() > 0
                    ? OutcomeView.of(game.evaluate(current)) : null;
            return new WhatIfView(objective.configName(), SplitView.of(recommended), GameView.of(result), now);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/actuation")
    @Operation(summary = "Whether the allocator acts on its decisions")
    public ActuationView actuation() {
        AllocatorSettings.Values v = settings.get();
        AllocatorState s = loop.state();
        return new ActuationView(loop.actuator().name(), properties.advisory(), v.paused(), v.pausedSince(),
                s.pendingActuation(), s.lastChange());
    }

    @PostMapping("/actuation/pause")
    @Operation(summary = "Stop actuating; decisions are still made and published, marked as not applied")
    public ActuationView pause() {
        metrics.update(settings.pause(clock.instant()));
        return actuation();
    }

    @PostMapping("/actuation/resume")
    @Operation(summary = "Actuate again from the next decision")
    public ActuationView resume() {
        metrics.update(settings.resume());
        return actuation();
    }

    private int liveWorkers() {
        Map<WorkerRole, Integer> counts = registry.countByRole();
        return counts.get(WorkerRole.PREFILL) + counts.get(WorkerRole.DECODE);
    }

    private Split currentSplit() {
        Map<WorkerRole, Integer> counts = registry.countByRole();
        return new Split(counts.get(WorkerRole.PREFILL), counts.get(WorkerRole.DECODE));
    }

    private static double seconds(Double value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required (seconds)");
        }
        if (!(value > 0) || value > MAX_SLO_SECONDS) {
            throw new InvalidInputException(field, field + " must be positive and at most " + (int) MAX_SLO_SECONDS
                    + " seconds, got " + value);
        }
        return value;
    }

    private static double required(Double value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return bounded(value, field);
    }

    private static double bounded(double value, String field) {
        if (!(value >= 0) || value > MAX_WHAT_IF_VALUE) {
            throw new InvalidInputException(field, field + " must be a finite number from 0 to "
                    + (long) MAX_WHAT_IF_VALUE + ", got " + value);
        }
        return value;
    }
}
