package dev.equilibria.simulator.experiment;

import dev.equilibria.control.allocation.AllocationDecision;
import dev.equilibria.control.allocation.AllocationParams;
import dev.equilibria.control.allocation.AllocationPolicy;
import dev.equilibria.control.allocation.DecisionInput;
import dev.equilibria.control.forecast.DemandEstimator;
import dev.equilibria.control.forecast.DemandSnapshot;
import dev.equilibria.control.forecast.ForecastConfig;
import dev.equilibria.control.forecast.MeasuredPrefixHits;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.forecast.WorkloadForecaster;
import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.GameSolver;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.Slo;
import dev.equilibria.control.game.Split;
import dev.equilibria.engine.Engine;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.simulator.fleet.SimFleet;
import dev.equilibria.simulator.fleet.SimWorker;
import dev.equilibria.simulator.metrics.RequestTrace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The allocator in the simulated loop: every decision interval it does what allocator-service's decision loop does
 * with the production {@code control} code (the decision log through {@link DemandEstimator}, completions and the
 * measured prefix-hit rate as the service takes them from request records, a
 * {@link WorkloadForecaster}, the {@link GameSolver} over pool models of the fleet's engine profiles, and
 * {@link AllocationPolicy} with its hysteresis, dwell, step and consolidation checks), then actuates on the simulated
 * fleet: a worker moved between pools drains and switches role ({@link SimFleet#switchRole}, as the local actuator
 * does), and growth within a budget larger than the fleet starts new workers after a start-up delay (as the
 * Kubernetes actuator scales a deployment). While an actuation is under way, decisions are advisory, as in the
 * service. Records the split at every decision for the P/D timeline.
 */
public final class AllocatorLoop {

    /** allocator-service's default {@code decision-interval}. */
    public static final Duration DEFAULT_DECISION_INTERVAL = Duration.ofSeconds(10);
    /** Time a newly scheduled worker needs before it serves (pod start, weights load). */
    public static final Duration DEFAULT_WORKER_START = Duration.ofSeconds(30);

    /**
     * @param budget           workers the pools may share; at least the fleet's size
     * @param decisionInterval how often the allocator decides
     * @param params           the allocation policy's parameters
     * @param slo              the SLOs the pools play for
     * @param workerStart      delay before an added worker serves
     */
    public record Settings(int budget, Duration decisionInterval, AllocationParams params, Slo slo,
                           Duration workerStart) {

        public static Settings defaults(int budget) {
            return new Settings(budget, DEFAULT_DECISION_INTERVAL, AllocationParams.DEFAULTS, Slo.DEFAULTS,
                    DEFAULT_WORKER_START);
        }
    }

    /**
     * The fleet at one decision.
     *
     * @param prefillWorkers serving prefill workers (a draining one still counts in its old pool)
     * @param pendingWorkers workers draining for a switch or starting
     * @param observedRate   arrival rate the decision log shows (requests/s)
     * @param forecastRate   the forecaster's rate one horizon ahead
     */
    public record Point(double timeSeconds, int prefillWorkers, int decodeWorkers, int pendingWorkers,
                        double observedRate, double forecastRate, String target, String action, String reasons) {
    }

    private final SimFleet fleet;
    private final Settings settings;
    private final DemandEstimator demand = new DemandEstimator();
    private final WorkloadForecaster forecaster = new WorkloadForecaster(ForecastConfig.defaults());
    private final GameSolver solver;
    private final AllocationPolicy policy;
    private final List<Point> timeline = new ArrayList<>();
    /** Finished requests' measured prefix hits over the demand window, as the service takes them from records. */
    private final MeasuredPrefixHits prefixHits = new MeasuredPrefixHits();
    private int pending;
    private int changes;

    public AllocatorLoop(SimFleet fleet, Settings settings) {
        if (settings.budget() < fleet.workers().size()) {
            throw new IllegalArgumentException("the budget (" + settings.budget() + ") must cover the fleet's "
                    + fleet.workers().size() + " workers");
        }
        this.fleet = fleet;
        this.settings = settings;
        this.solver = new GameSolver(CapacityPrediction.prefillModel(fleet.spec()),
                CapacityPrediction.decodeModel(fleet.spec()), settings.slo());
        this.policy = new AllocationPolicy(settings.params());
        fleet.onDecision(demand::onDecision);
        fleet.onCompletion(this::onCompletion);
    }

    /**
     * A finished request, as allocator-service reads it from the request records: its output length goes to the
     * estimator, and its measured cached tokens to the window whose hit rate replaces the router's overlap guess.
     */
    private void onCompletion(RequestTrace trace) {
        long endMs = trace.finishNanos() / 1_000_000;
        demand.onCompletion(endMs, trace.outputTokens());
        prefixHits.record(endMs, trace.promptTokens(), trace.cachedTokens());
    }

    /** Decides every interval until {@code endNanos}. */
    public void start(long endNanos) {
        long interval = settings.decisionInterval().toNanos();
        fleet.loop().at(interval, new Runnable() {
            @Override
            public void run() {
                decide();
                if (fleet.loop().now() + interval <= endNanos) {
                    fleet.loop().after(interval, this);
                }
            }
        });
    }

    public List<Point> timeline() {
        return List.copyOf(timeline);
    }

    /** Applied changes. */
    public int changes() {
        return changes;
    }

    public Split split() {
        return new Split(fleet.workers(WorkerRole.PREFILL).size(), fleet.workers(WorkerRole.DECODE).size());
    }

    void decide() {
        long nowMs = fleet.loop().clock().millis();
        DemandSnapshot snapshot = prefixHits.correct(demand.snapshot(nowMs));
        forecaster.observe(snapshot);
        Workload forecast = forecaster.forecast();
        Split current = split();
        PoolGame game = solver.game(forecast, settings.budget());
        GameResult result = solver.solve(game);
        AllocationParams params = pending > 0 ? settings.params().withAdvisory(true) : settings.params();
        AllocationPolicy deciding = pending > 0 ? new AllocationPolicy(params, policy.lastChange()) : policy;
        AllocationDecision decision = deciding.decide(new DecisionInput(fleet.loop().clock().instant(), current, game,
                result, loads(nowMs)));
        String action = decision.applied() ? "change" : decision.action() == AllocationDecision.Action.CHANGE
                ? (pending > 0 ? "held (actuation under way)" : "held") : "keep";
        if (decision.applied()) {
            changes++;
            actuate(current, decision.next());
        }
        timeline.add(new Point(nowMs / 1000.0, current.prefillWorkers(), current.decodeWorkers(), pending,
                snapshot.workload().arrivalRate(), forecast.arrivalRate(), decision.target().toString(), action,
                String.join("; ", decision.reasons())));
    }

    /** Role switches between the pools first (drain, then switch), then new workers for growth the budget allows. */
    private void actuate(Split from, Split to) {
        int dp = to.prefillWorkers() - from.prefillWorkers();
        int dd = to.decodeWorkers() - from.decodeWorkers();
        while (dp > 0 && dd < 0) {
            move(WorkerRole.DECODE, WorkerRole.PREFILL);
            dp--;
            dd++;
        }
        while (dd > 0 && dp < 0) {
            move(WorkerRole.PREFILL, WorkerRole.DECODE);
            dd--;
            dp++;
        }
        for (int i = 0; i < dp; i++) {
            add(WorkerRole.PREFILL);
        }
        for (int i = 0; i < dd; i++) {
            add(WorkerRole.DECODE);
        }
        // shrinking the total never happens: the budget covers the fleet and the policy's target uses the budget
    }

    private void move(WorkerRole from, WorkerRole to) {
        SimWorker worker = fleet.workers(from).stream().filter(w -> !fleet.isDraining(w.id()))
                .min(Comparator.comparingInt(w -> w.engine().runningCount() + w.engine().waitingCount()))
                .orElseThrow();
        pending++;
        fleet.switchRole(worker.id(), to, () -> pending--);
    }

    private void add(WorkerRole role) {
        pending++;
        fleet.loop().after(settings.workerStart().toNanos(), () -> {
            fleet.addWorker(role);
            pending--;
        });
    }

    private List<WorkerLoad> loads(long nowMs) {
        List<WorkerLoad> loads = new ArrayList<>();
        for (SimWorker w : fleet.workers()) {
            Engine e = w.engine();
            loads.add(new WorkerLoad(w.id(), w.role(), nowMs, e.runningCount(), e.waitingCount(), e.usedBlocks(),
                    e.config().numBlocks(), e.pendingPrefillTokens(), 0));
        }
        return loads;
    }

    /** Budget in workers, for reports. */
    public int budget() {
        return settings.budget();
    }
}
