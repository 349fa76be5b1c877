package dev.equilibria.monitor.poll;

import static dev.equilibria.monitor.poll.DashboardSnapshot.num;

import dev.equilibria.control.controller.ControlDecision;
import dev.equilibria.control.controller.ControllerStatus;
import dev.equilibria.control.efficiency.LoadImbalance;
import dev.equilibria.control.efficiency.PoaHatSummary;
import dev.equilibria.control.efficiency.TtftInflation;
import dev.equilibria.control.regime.Poll;
import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.RegimeReading;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.control.regime.WorkerState;
import dev.equilibria.monitor.control.ControlSink;
import dev.equilibria.monitor.control.RegimeControl;
import dev.equilibria.monitor.inputs.AllocationBoard;
import dev.equilibria.monitor.inputs.DecisionStats;
import dev.equilibria.monitor.inputs.EfficiencyIndices;
import dev.equilibria.monitor.inputs.RequestStats;
import dev.equilibria.monitor.inputs.RequestWindow;
import dev.equilibria.monitor.inputs.WorkerLoadBoard;
import dev.equilibria.monitor.scrape.FleetMetrics;
import dev.equilibria.monitor.scrape.MetricsSource;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The monitor's heartbeat: every {@code poll-interval} it reads the metrics source, builds the regime detector's
 * {@link Poll} from the request records, routing decisions and worker loads, runs the controller (which publishes
 * overrides and capacity alerts), and publishes a {@link DashboardSnapshot}. On start it publishes the router
 * settings in force, and republishes them every {@code router-config-republish} for gateways that started later.
 */
public class PollLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
    /** History entries carried in each snapshot for the regime timeline's markers. */
    static final int SNAPSHOT_TRANSITIONS = 50;

    /** The poll's inputs, wired once. */
    public record Inputs(MetricsSource metrics, RequestStats requests, DecisionStats decisions, WorkerLoadBoard loads,
                         AllocationBoard allocations, WorkerRegistry registry, EfficiencyIndices indices) {
    }

    /** Timing of the loop. */
    public record Timing(Duration pollInterval, Duration workerLoadMaxAge, Duration republish, int defaultMaxNumSeqs) {
    }

    private final InstantSource clock;
    private final Inputs in;
    private final Timing timing;
    private final RegimeControl control;
    private final ControlSink sink;
    private final MonitorState state;
    private ScheduledExecutorService executor;
    private volatile boolean running;
    private long polls;
    private long lastRepublishMs;

    public PollLoop(InstantSource clock, Inputs inputs, Timing timing, RegimeControl control, ControlSink sink,
                    MonitorState state) {
        this.clock = clock;
        this.in = inputs;
        this.timing = timing;
        this.control = control;
        this.sink = sink;
        this.state = state;
    }

    @Override
    public synchronized void start() {
        long now = clock.millis();
        state.reopen();
        sink.override(control.currentOverride(now));
        lastRepublishMs = now;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitor-poll");
            t.setDaemon(true);
            return t;
        });
        long period = timing.pollInterval().toMillis();
        executor.scheduleAtFixedRate(this::pollSafely, period, period, TimeUnit.MILLISECONDS);
        running = true;
        log.info("polling every {} ms, metrics from {}", period, in.metrics().describe());
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
        }
        state.complete();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            log.error("poll failed", e);
        }
    }

    /** One poll; the scheduler calls it, tests may too. */
    public DashboardSnapshot pollOnce() {
        long now = clock.millis();
        FleetMetrics fleet = in.metrics().read(now);
        RequestWindow window = in.requests().window(now);
        Map<String, LiveWorker> live = in.registry().live().stream()
                .collect(Collectors.toMap(LiveWorker::workerId, Function.identity(), (a, b) -> b, TreeMap::new));
        List<WorkerLoadBoard.Report> reports = in.loads().fresh(now, timing.workerLoadMaxAge().toMillis());

        double recordsP99 = in.requests().drainTtftP99Ms();
        String ttftSource = "records";
        double pollP99 = recordsP99;
        if (Double.isNaN(pollP99) && Double.isFinite(fleet.ttftP99Ms())) {
            pollP99 = fleet.ttftP99Ms();
            ttftSource = "scrape";
        } else if (Double.isNaN(pollP99)) {
            ttftSource = "none";
        }
        double offered;
        String loadSource;
        if (in.decisions().seen()) {
            offered = in.decisions().arrivalsPerSecond(now);
            loadSource = "decisions";
        } else if (window.requests() > 0) {
            offered = window.requestsPerSecond();
            loadSource = "records";
        } else if (Double.isFinite(fleet.requestsPerSecond())) {
            offered = fleet.requestsPerSecond();
            loadSource = "scrape";
        } else {
            offered = Double.NaN;
            loadSource = "none";
        }

        Map<String, List<WorkerState>> byPool = new TreeMap<>();
        for (WorkerLoadBoard.Report r : reports) {
            WorkerLoad load = r.load();
            byPool.computeIfAbsent(load.role().wireName(), p -> new ArrayList<>())
                    .add(WorkerState.of(load, maxNumSeqs(live.get(load.workerId()))));
        }
        List<PoolState> pools = byPool.entrySet().stream().map(e -> new PoolState(e.getKey(), e.getValue())).toList();
        Poll poll = new Poll(now, Math.max(0, pollP99), Double.isNaN(offered) ? Double.NaN : Math.max(0, offered),
                pools);
        ControlDecision decision = control.onPoll(poll);
        in.indices().advance(now);
        maybeRepublish(now, decision);

        DashboardSnapshot snapshot = snapshot(++polls, now, fleet, window, reports, live, poll, decision,
                ttftSource, loadSource);
        state.publish(snapshot);
        return snapshot;
    }

    private void maybeRepublish(long now, ControlDecision decision) {
        if (decision.override().isPresent()) {
            lastRepublishMs = now;
            return;
        }
        long every = timing.republish().toMillis();
        if (every > 0 && now - lastRepublishMs >= every) {
            sink.override(control.currentOverride(now));
            lastRepublishMs = now;
        }
    }

    private int maxNumSeqs(LiveWorker worker) {
        if (worker != null && worker.capacity() != null && worker.capacity().maxNumSeqs() > 0) {
            return worker.capacity().maxNumSeqs();
        }
        return timing.defaultMaxNumSeqs();
    }

    private DashboardSnapshot snapshot(long seq, long now, FleetMetrics fleet, RequestWindow window,
                                       List<WorkerLoadBoard.Report> reports, Map<String, LiveWorker> live, Poll poll,
                                       ControlDecision decision, String ttftSource, String loadSource) {
        EfficiencyIndices indices = in.indices();
        Map<String, DashboardSnapshot.PoaView> poa = new LinkedHashMap<>();
        Map<String, DashboardSnapshot.ImbalanceView> imbalance = new LinkedHashMap<>();
        for (RoutingLeg leg : RoutingLeg.values()) {
            PoaHatSummary s = indices.poaHat(leg);
            poa.put(leg.wireName(), new DashboardSnapshot.PoaView(s.windows(), num(s.p50()), num(s.p90()),
                    num(s.rolling()), s.latest() == null ? null : num(s.latest().ratio())));
            LoadImbalance li = indices.imbalance(leg, now);
            imbalance.put(leg.wireName(), new DashboardSnapshot.ImbalanceView(li.decisions(), num(li.mean()),
                    num(li.p90()), num(li.max())));
        }
        TtftInflation inflation = indices.inflation(now);

        double inFlight = fleet.requestsInFlight();
        if (!Double.isFinite(inFlight) && !reports.isEmpty()) {
            inFlight = reports.stream().mapToInt(r -> r.load().runningRequests() + r.load().waitingRequests()).sum();
        }
        double ttftP50 = Double.isFinite(window.ttftP50Ms()) ? window.ttftP50Ms() : fleet.ttftP50Ms();
        double ttftP99 = Double.isFinite(window.ttftP99Ms()) ? window.ttftP99Ms() : fleet.ttftP99Ms();
        double rps = window.requests() > 0 ? window.requestsPerSecond() : fleet.requestsPerSecond();
        double kvHit = window.kvHitRate();
        if (!Double.isFinite(kvHit)) {
            kvHit = reports.stream().filter(r -> r.load().role() != WorkerRole.DECODE)
                    .mapToDouble(r -> r.load().prefixCacheHitRate()).filter(Double::isFinite).average()
                    .orElse(Double.NaN);
        }
        RegimeReading reading = decision.reading();
        SeriesPoint point = new SeriesPoint(now, num(rps), num(inFlight), num(ttftP50), num(ttftP99),
                num(window.meanItlMs()), num(kvHit), poa.get("prefill").rolling(), poa.get("decode").rolling(),
                poa.get("aggregated").rolling(), num(inflation.meanInflation()), num(inflation.p99Inflation()),
                imbalance.get("prefill").mean(), imbalance.get("decode").mean(), imbalance.get("aggregated").mean(),
                decision.regime().ordinal(), num(poll.ttftP99Ms()), num(reading.ttftP99EwmaMs()),
                num(poll.offeredLoad()), num(reading.utilisation()));

        ControllerStatus status = control.status();
        DashboardSnapshot.RegimeView regime = new DashboardSnapshot.RegimeView(status.regime().name(),
                status.detected().name(), status.forced() == null ? null : status.forced().name(),
                reading.indicated().name(), reading.reason(),
                reading.signals().stream().map(Signal::name).sorted().toList(), num(reading.ttftP99EwmaMs()),
                num(reading.utilisation()), reading.hottestPool(), num(reading.load()),
                DashboardSnapshot.RouteView.of(status.applied()),
                status.capacityBoundPools().stream().sorted().toList(), control.calibrating());

        Map<RoutingLeg, Map<String, Double>> shares = in.decisions().shares(now);
        UtilisationCaps caps = control.detectorConfig().caps();
        List<DashboardSnapshot.WorkerView> workers = new ArrayList<>();
        for (WorkerLoadBoard.Report r : reports) {
            WorkerLoad l = r.load();
            WorkerState ws = WorkerState.of(l, maxNumSeqs(live.get(l.workerId())));
            RoutingLeg leg = RoutingLeg.valueOf(l.role().name());
            Double share = shares.getOrDefault(leg, Map.of()).get(l.workerId());
            workers.add(new DashboardSnapshot.WorkerView(l.workerId(), l.role().wireName(), l.runningRequests(),
                    l.waitingRequests(), ws.maxNumSeqs(), num(ws.kvUsage()), num(ws.utilisation(caps)),
                    ws.atCap(caps), share == null ? (shares.containsKey(leg) ? 0.0 : null) : share,
                    num(l.prefixCacheHitRate()), now - r.receivedMs()));
        }

        Map<String, Integer> liveByRole = new LinkedHashMap<>();
        for (WorkerRole role : WorkerRole.values()) {
            liveByRole.put(role.wireName(), (int) live.values().stream().filter(w -> w.role() == role).count());
        }
        Allocation allocation = in.allocations().latest();
        DashboardSnapshot.PdSplit split = new DashboardSnapshot.PdSplit(
                allocation == null ? null : allocation.prefillWorkers(),
                allocation == null ? null : allocation.decodeWorkers(),
                allocation == null ? null : allocation.reason(),
                allocation == null ? null : allocation.timestampMs(), liveByRole);

        List<DashboardSnapshot.TransitionView> transitions = control.history().stream()
                .map(DashboardSnapshot.TransitionView::of).toList();
        transitions = transitions.subList(Math.max(0, transitions.size() - SNAPSHOT_TRANSITIONS), transitions.size());

        DashboardSnapshot.SourcesView sources = new DashboardSnapshot.SourcesView(in.metrics().describe(),
                fleet.targetsUp(), fleet.targets(), fleet.error(), in.decisions().decisions(now), window.requests(),
                window.errors(), ttftSource, loadSource, reports.size());

        return new DashboardSnapshot(seq, now, timing.pollInterval().toMillis(), point, regime,
                DashboardSnapshot.ThresholdsView.of(control.thresholds(), control.detectorConfig()), poa,
                new DashboardSnapshot.InflationView(inflation.samples(), num(inflation.meanInflation()),
                        num(inflation.p99Inflation()), num(inflation.queueingShare()),
                        num(inflation.meanObservedMs()), num(inflation.meanZeroLoadMs())),
                imbalance, split, workers, transitions, sources);
    }
}
