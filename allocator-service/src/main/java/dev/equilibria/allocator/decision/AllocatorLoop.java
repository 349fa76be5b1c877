package dev.equilibria.allocator.decision;

import dev.equilibria.allocator.actuation.Actuator;
import dev.equilibria.allocator.actuation.FleetState;
import dev.equilibria.allocator.config.AllocatorModels;
import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.allocator.inputs.CapacityAlertBoard;
import dev.equilibria.allocator.inputs.WorkerLoadBoard;
import dev.equilibria.allocator.metrics.AllocatorMetrics;
import dev.equilibria.control.allocation.AllocationDecision;
import dev.equilibria.control.allocation.AllocationParams;
import dev.equilibria.control.allocation.AllocationPolicy;
import dev.equilibria.control.allocation.DecisionInput;
import dev.equilibria.control.allocation.SpareCapacityWeights;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.forecast.WorkloadForecaster;
import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.GameSolver;
import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import dev.equilibria.service.kafka.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The allocator's loop. Every {@code decision-interval}: read the live split from heartbeats, estimate and forecast
 * demand, solve the game for the budget, let {@link AllocationPolicy} decide (hysteresis, dwell, step,
 * consolidation), actuate unless advisory, paused or an earlier actuation is still under way, and publish the
 * decision with its reasons and the routing weights on {@code equilibria.allocations}. Between decisions it
 * republishes the weights when they moved by more than {@code weights.change-threshold}, at most once per
 * {@code weights-min-interval}.
 *
 * <p>Everything runs on one thread ({@code allocator-loop}), so the forecaster and the actuators need no locks; the
 * admin API reads the latest {@link AllocatorState}, which is replaced whole.
 */
public class AllocatorLoop implements SmartLifecycle {

    /** Key of the allocator's events: one producer, one ordered stream. */
    public static final String KEY = "allocator-service";
    /** How often the weights are recomputed between decisions. */
    public static final Duration WEIGHTS_CHECK_INTERVAL = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(AllocatorLoop.class);
    private static final String POLICY_ADVISORY_REASON = "advisory mode: not applied";

    private final AllocatorProperties properties;
    private final AllocatorSettings settings;
    private final AllocatorModels models;
    private final WorkerRegistry registry;
    private final WorkerLoadBoard loads;
    private final DemandTracker demand;
    private final CapacityAlertBoard alerts;
    private final Actuator actuator;
    private final EventPublisher publisher;
    private final AllocatorMetrics metrics;
    private final InstantSource clock;
    private final WorkloadForecaster forecaster;
    private final SpareCapacityWeights weights;

    private volatile AllocatorState state = AllocatorState.initial();
    private Instant lastChange;
    private Map<String, Double> publishedWeights = Map.of();
    private long lastPublishMs = Long.MIN_VALUE;
    private ScheduledExecutorService executor;

    public AllocatorLoop(AllocatorProperties properties, AllocatorSettings settings, AllocatorModels models,
                         WorkerRegistry registry, WorkerLoadBoard loads, DemandTracker demand,
                         CapacityAlertBoard alerts, Actuator actuator, EventPublisher publisher,
                         AllocatorMetrics metrics, InstantSource clock) {
        this.properties = properties;
        this.settings = settings;
        this.models = models;
        this.registry = registry;
        this.loads = loads;
        this.demand = demand;
        this.alerts = alerts;
        this.actuator = actuator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.forecaster = new WorkloadForecaster(properties.forecast().toConfig());
        this.weights = new SpareCapacityWeights(properties.weights().toParams());
    }

    /** The latest evaluation. */
    public AllocatorState state() {
        return state;
    }

    public Actuator actuator() {
        return actuator;
    }

    /** One evaluation: decide, maybe actuate, publish. Runs on the loop thread; tests may call it directly. */
    public synchronized AllocatorState decide() {
        Instant now = clock.instant();
        long nowMs = now.toEpochMilli();
        AllocatorSettings.Values values = settings.get();
        List<LiveWorker> live = registry.live();
        Set<String> liveIds = live.stream().map(LiveWorker::workerId).collect(Collectors.toSet());
        List<WorkerLoad> fresh = loads.fresh().stream().filter(l -> liveIds.contains(l.workerId())).toList();
        FleetState fleet = new FleetState(live, fresh);
        Split current = fleet.split();
        int aggregated = fleet.count(WorkerRole.AGGREGATED);
        Optional<String> pending = actuator.pending(fleet, now);

        DemandTracker.Observation observed = demand.observe(nowMs, fresh);
        forecaster.observe(observed.snapshot());
        Workload forecast = forecaster.forecast();
        Map<String, Double> routing = weights(fleet, nowMs);

        List<String> notes = new ArrayList<>();
        int budget = values.budget() != null ? values.budget() : current.total();
        if (properties.localActuator() && budget > current.total()) {
            notes.add("budget " + budget + " capped at the " + current.total()
                    + " live workers: the local actuator cannot add workers");
            budget = current.total();
        }
        if (budget < 2) {
            String why = "fewer than two workers to share (" + current + (aggregated > 0 ? ", " + aggregated
                    + " aggregated" : "") + ")";
            state = new AllocatorState(now, current, aggregated, budget, observed, forecast, null, null, null, null,
                    null, why, pending.orElse(null), routing, lastChange);
            metrics.update(state, values);
            log.debug("no decision: {}", why);
            return state;
        }

        GameSolver solver = models.solver(values.slo());
        PoolGame game = solver.game(forecast, budget);
        GameResult result = solver.solve(game);
        ReasonCode.Hold hold = values.paused() ? ReasonCode.Hold.PAUSED
                : pending.isPresent() ? ReasonCode.Hold.PENDING : ReasonCode.Hold.NONE;
        AllocationParams params = properties.allocationParams();
        if (hold != ReasonCode.Hold.NONE) {
            params = params.withAdvisory(true);
        }
        DecisionInput input = new DecisionInput(now, current, game, result, fresh);
        AllocationDecision decision = new AllocationPolicy(params, lastChange).decide(input);

        Pool bypassFor = null;
        if (decision.action() == AllocationDecision.Action.KEEP && properties.capacityAlerts().bypassDwell()
                && ReasonCode.DWELL.equals(ReasonCode.of(decision, hold, false))) {
            Pool grows = growing(current, decision.target());
            if (grows != null && alerts.bypassArmed(grows)) {
                AllocationDecision retry = new AllocationPolicy(params, null).decide(input);
                if (retry.action() == AllocationDecision.Action.CHANGE) {
                    decision = withReasons(retry, List.of("capacity alert on the " + name(grows)
                            + " pool: minimum dwell bypassed once"));
                    bypassFor = grows;
                }
            }
        }

        if (decision.applied()) {
            Actuator.Actuation actuation = actuator.apply(current, decision.next(), fleet, now);
            if (actuation.started()) {
                lastChange = now;
                notes.add(actuator.name() + " actuator: " + actuation.description());
                if (bypassFor != null) {
                    alerts.spendBypass(bypassFor);
                }
            } else {
                hold = ReasonCode.Hold.REFUSED;
                decision = unapplied(decision, actuator.name() + " actuator did not act: "
                        + actuation.description());
            }
        } else if (decision.action() == AllocationDecision.Action.CHANGE) {
            if (hold == ReasonCode.Hold.PAUSED) {
                decision = replaceAdvisoryReason(decision, "actuation paused since " + values.pausedSince()
                        + ": not applied");
            } else if (hold == ReasonCode.Hold.PENDING) {
                decision = replaceAdvisoryReason(decision, "waiting for the last actuation ("
                        + pending.orElse("") + "): not applied");
            } else {
                hold = ReasonCode.Hold.ADVISORY;
            }
        }
        decision = withReasons(decision, notes);
        String code = ReasonCode.of(decision, hold, bypassFor != null && decision.applied());

        Allocation event = decision.toEvent(routing);
        publish(event, nowMs, routing);
        metrics.decision(decision.action(), code);
        if (decision.action() == AllocationDecision.Action.CHANGE) {
            log.info("{} {} -> {} [{}]: {}", decision.applied() ? "change" : "held change", current, decision.next(),
                    code, event.reason());
        } else {
            log.debug("keep {} [{}]: {}", current, code, event.reason());
        }
        state = new AllocatorState(now, current, aggregated, budget, observed, forecast, result,
                game.evaluate(current), game.evaluate(decision.target()), decision, code, null,
                actuator.pending(fleet, now).orElse(null), routing, lastChange);
        metrics.update(state, values);
        return state;
    }

    /**
     * Republishes the latest split with fresh routing weights when any weight moved by more than the change
     * threshold (or a worker came or went), at most once per {@code weights-min-interval}.
     *
     * @return true when an update was published
     */
    public synchronized boolean publishWeightsIfChanged() {
        long nowMs = clock.millis();
        if (lastPublishMs != Long.MIN_VALUE
                && nowMs - lastPublishMs < properties.weightsMinInterval().toMillis()) {
            return false;
        }
        List<LiveWorker> live = registry.live();
        Set<String> liveIds = live.stream().map(LiveWorker::workerId).collect(Collectors.toSet());
        FleetState fleet = new FleetState(live,
                loads.fresh().stream().filter(l -> liveIds.contains(l.workerId())).toList());
        Map<String, Double> routing = weights(fleet, nowMs);
        if (!changed(publishedWeights, routing, properties.weights().changeThreshold())) {
            return false;
        }
        Split split = fleet.split();
        publish(new Allocation(nowMs, split.prefillWorkers(), split.decodeWorkers(), routing,
                "routing weights: spare capacity changed"), nowMs, routing);
        AllocatorState s = state;
        state = new AllocatorState(s.at(), s.current(), s.aggregatedWorkers(), s.budget(), s.observed(),
                s.forecast(), s.result(), s.currentOutcome(), s.targetOutcome(), s.decision(), s.reasonCode(),
                s.skipped(), s.pendingActuation(), routing, s.lastChange());
        return true;
    }

    private void publish(Allocation event, long nowMs, Map<String, Double> routing) {
        publisher.publish(Topics.ALLOCATIONS, KEY, event);
        publishedWeights = routing;
        lastPublishMs = nowMs;
    }

    private Map<String, Double> weights(FleetState fleet, long nowMs) {
        Map<String, WorkerCapacity> capacities = new HashMap<>();
        for (LiveWorker w : fleet.live()) {
            capacities.put(w.workerId(), w.capacity());
        }
        return weights.weights(fleet.loads(), capacities, nowMs);
    }

    static boolean changed(Map<String, Double> before, Map<String, Double> after, double threshold) {
        if (!before.keySet().equals(after.keySet())) {
            return true;
        }
        for (Map.Entry<String, Double> e : after.entrySet()) {
            if (Math.abs(e.getValue() - before.get(e.getKey())) > threshold) {
                return true;
            }
        }
        return false;
    }

    private static Pool growing(Split current, Split target) {
        for (Pool pool : Pool.values()) {
            if (target.workers(pool) > current.workers(pool)) {
                return pool;
            }
        }
        return null;
    }

    private static AllocationDecision withReasons(AllocationDecision d, List<String> extra) {
        if (extra.isEmpty()) {
            return d;
        }
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.addAll(extra);
        return new AllocationDecision(d.at(), d.action(), d.applied(), d.current(), d.target(), d.next(),
                d.goodputGain(), d.costGain(), reasons);
    }

    private static AllocationDecision unapplied(AllocationDecision d, String why) {
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.add(why);
        return new AllocationDecision(d.at(), d.action(), false, d.current(), d.target(), d.next(), d.goodputGain(),
                d.costGain(), reasons);
    }

    /** The loop asked the policy for a dry run; say why instead of "advisory mode". */
    private static AllocationDecision replaceAdvisoryReason(AllocationDecision d, String why) {
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.remove(POLICY_ADVISORY_REASON);
        reasons.add(why);
        return new AllocationDecision(d.at(), d.action(), false, d.current(), d.target(), d.next(), d.goodputGain(),
                d.costGain(), reasons);
    }

    private static String name(Pool pool) {
        return pool.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "allocator-loop");
            t.setDaemon(true);
            return t;
        });
        long interval = properties.decisionInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> run("decision", this::decide), interval, interval,
                TimeUnit.MILLISECONDS);
        long weightsEvery = WEIGHTS_CHECK_INTERVAL.toMillis();
        executor.scheduleWithFixedDelay(() -> run("weights update", this::publishWeightsIfChanged), weightsEvery,
                weightsEvery, TimeUnit.MILLISECONDS);
        log.info("allocator loop started: decision every {}, {} actuator{}, profile {}, budget {}", properties
                        .decisionInterval(), actuator.name(), properties.advisory() ? " (advisory mode)" : "",
                models.profile().name(), settings.get().budget() == null ? "all live workers" : settings.get()
                        .budget());
    }

    private static void run(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // one bad evaluation must not end the schedule
            log.error("allocator {} failed: {}", what, e.toString(), e);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService e;
        synchronized (this) {
            e = executor;
            executor = null;
        }
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
