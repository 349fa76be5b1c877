package dev.equilibria.simulator.experiment;

import dev.equilibria.control.controller.AdaptiveRoutingController;
import dev.equilibria.control.controller.ControlDecision;
import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.control.efficiency.CandidateLoad;
import dev.equilibria.control.efficiency.EngineZeroLoadTtft;
import dev.equilibria.control.efficiency.LoadImbalance;
import dev.equilibria.control.efficiency.PoaHatCalculator;
import dev.equilibria.control.efficiency.PoaHatConfig;
import dev.equilibria.control.efficiency.PoaHatSummary;
import dev.equilibria.control.efficiency.PoaHatTracker;
import dev.equilibria.control.efficiency.TtftInflation;
import dev.equilibria.control.efficiency.TtftSample;
import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.WorkerState;
import dev.equilibria.engine.Engine;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.fleet.SimFleet;
import dev.equilibria.simulator.fleet.SimWorker;
import dev.equilibria.simulator.metrics.LatencySummary;
import dev.equilibria.simulator.metrics.RequestTrace;
import dev.equilibria.simulator.metrics.Samples;
import dev.equilibria.simulator.workload.SimRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.Iterator;
import java.util.List;

/**
 * Runs one {@link RunConfig}: builds the fleet, drives the workload, optionally lets the adaptive controller poll
 * and re-configure the gateways, and measures latency and the monitor's three indices on the requests that arrived
 * after the warmup. Deterministic for a given config and seed.
 */
public final class Simulation {

    /** Open-loop runs stop at the latest this long after the last arrival, served or not. */
    private static final long DRAIN_LIMIT_NANOS = 600_000_000_000L;

    private final RunConfig config;
    private final EventLoop loop = new EventLoop();
    private final SimFleet fleet;
    private final List<RequestTrace> measured = new ArrayList<>();
    /** Requests that finished inside the measured window, whenever they arrived, and their output tokens. */
    private int finishedInWindow;
    private long outputTokensInWindow;
    private final Map<RoutingLeg, List<RoutingDecision>> decisions = new EnumMap<>(RoutingLeg.class);
    private final PoaHatTracker poaHat = new PoaHatTracker(PoaHatConfig.defaults(), PoaHatCalculator.defaults());
    private final List<RegimeTransition> transitions = new ArrayList<>();
    private final long warmupNanos;
    private final long endNanos;
    /** TTFTs and arrivals since the controller's last poll. */
    private final Samples pollTtfts = new Samples();
    private int pollArrivals;
    private Samples windowTtfts = pollTtfts;

    public Simulation(RunConfig config) {
        this.config = config;
        this.fleet = new SimFleet(config.fleet(), config.view(), config.settings(), config.settings(), config.seed(),
                loop);
        this.warmupNanos = config.warmup().toNanos();
        this.endNanos = config.duration().toNanos();
        fleet.onDecision(decision -> {
            if (loop.now() >= warmupNanos) {
                decisions.computeIfAbsent(decision.leg(), leg -> new ArrayList<>()).add(decision);
                poaHat.record(decision);
            }
        });
    }

    public SimFleet fleet() {
        return fleet;
    }

    public RunResult run(EventLoop.Progress progress) {
        long wallStart = System.nanoTime();
        if (config.controller() != null) {
            AdaptiveRoutingController controller = config.controller().create(config.fleet().prefillProfile());
            fleet.apply(controller.currentOverride(0));
            schedulePolls(controller);
        }
        if (config.closedLoop() != null) {
            for (int client = 0; client < config.closedLoop().concurrency(); client++) {
                int c = client;
                loop.at(client * 1_000L, () -> sendClosed(c)); // 1 µs apart: a deterministic order, no burst artefact
            }
            loop.runUntil(endNanos, progress);
        } else {
            Iterator<SimRequest> arrivals = config.openLoop().requests();
            scheduleNext(arrivals);
            loop.runUntil(endNanos, progress);
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double measuredSeconds = (loop.now() - warmupNanos) / 1e9;
        return result(measuredSeconds, wall);
    }

    private void sendClosed(int client) {
        if (loop.now() >= endNanos) {
            return;
        }
        SimRequest request = config.closedLoop().next(client, loop.now());
        pollArrivals++;
        fleet.submit(request, trace -> {
            record(trace);
            sendClosed(client);
        });
    }

    private void scheduleNext(Iterator<SimRequest> arrivals) {
        if (!arrivals.hasNext()) {
            return;
        }
        SimRequest request = arrivals.next();
        if (request.arrivalNanos() > endNanos) {
            return;
        }
        loop.at(request.arrivalNanos(), () -> {
            pollArrivals++;
            fleet.submit(request, this::record);
            scheduleNext(arrivals);
        });
    }

    private void record(RequestTrace trace) {
        windowTtfts.add(trace.ttftSeconds() * 1e3);
        if (trace.arrivalNanos() >= warmupNanos && trace.finishNanos() <= endNanos) {
            measured.add(trace);
        }
        if (trace.finishNanos() >= warmupNanos && trace.finishNanos() <= endNanos) {
            finishedInWindow++;
            outputTokensInWindow += trace.outputTokens();
        }
    }

    private void schedulePolls(AdaptiveRoutingController controller) {
        long interval = config.controller().pollInterval().toNanos();
        loop.at(interval, new Runnable() {
            @Override
            public void run() {
                ControlDecision decision = controller.onPoll(poll(interval));
                decision.override().ifPresent(fleet::apply);
                decision.transition().ifPresent(transitions::add);
                if (loop.now() + interval <= endNanos) {
                    loop.after(interval, this);
                }
            }
        });
    }

    private Poll poll(long intervalNanos) {
        double ttftP99 = windowTtfts.percentile(99);
        double offered = config.closedLoop() != null ? fleet.inFlight() : pollArrivals / (intervalNanos / 1e9);
        windowTtfts = new Samples();
        pollArrivals = 0;
        return new Poll(loop.clock().millis(), ttftP99, offered,
                List.of(poolState("prefill", WorkerRole.PREFILL), poolState("decode", WorkerRole.DECODE)));
    }

    private PoolState poolState(String name, WorkerRole role) {
        List<WorkerState> states = new ArrayList<>();
        for (SimWorker worker : fleet.workers(role)) {
            Engine e = worker.engine();
            states.add(new WorkerState(worker.id(), e.runningCount(), e.waitingCount(), e.config().maxNumSeqs(),
                    e.usedBlocks(), e.config().numBlocks()));
        }
        return new PoolState(name, states);
    }

    private RunResult result(double measuredSeconds, double wallSeconds) {
        LatencySummary latency = LatencySummary.of(measured, finishedInWindow, outputTokensInWindow,
                measuredSeconds);
        poaHat.advance(Long.MAX_VALUE / 2);
        Map<RoutingLeg, RunResult.LegIndices> legs = new EnumMap<>(RoutingLeg.class);
        decisions.forEach((leg, list) -> {
            PoaHatSummary poa = poaHat.summary(leg);
            int candidates = list.stream().mapToInt(d -> d.candidates().size()).max().orElse(0);
            legs.put(leg, new RunResult.LegIndices(poa.p50(), poa.p90(),
                    LoadImbalance.of(list, CandidateLoad.TOTAL_BLOCKS).mean(), candidates));
        });
        List<TtftSample> samples = new ArrayList<>();
        for (RequestTrace t : measured) {
            samples.add(new TtftSample(t.id(), t.prefillWorker(), t.firstTokenNanos() / 1_000_000, t.promptTokens(),
                    t.cachedTokens(), t.ttftSeconds() * 1e3));
        }
        TtftInflation inflation = TtftInflation.of(samples, EngineZeroLoadTtft.of(config.fleet().prefillProfile()));
        return new RunResult(config.label(), latency, legs, inflation.meanInflation(), inflation.p99Inflation(),
                List.copyOf(transitions), loop.now() / 1e9, wallSeconds);
    }
}
