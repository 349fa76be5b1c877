package dev.equilibria.allocator.decision;

import static dev.equilibria.allocator.TestFleet.heartbeat;
import static dev.equilibria.allocator.TestFleet.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.allocator.TestFleet.RecordingPublisher;
import dev.equilibria.allocator.actuation.LocalActuator;
import dev.equilibria.allocator.config.AllocatorModels;
import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.allocator.inputs.CapacityAlertBoard;
import dev.equilibria.allocator.inputs.WorkerLoadBoard;
import dev.equilibria.allocator.metrics.AllocatorMetrics;
import dev.equilibria.control.allocation.AllocationDecision;
import dev.equilibria.control.forecast.DemandEstimator;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.routing.registry.WorkerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The loop with real library code and real inputs, fed directly instead of over Kafka, on a clock the test moves. */
class AllocatorLoopTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final InstantSource clock = () -> now.get();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WorkerRegistry registry = new WorkerRegistry(InstantSource.system(), Duration.ofSeconds(30));
    private final WorkerLoadBoard loads = new WorkerLoadBoard(meters);
    private final CapacityAlertBoard alerts = new CapacityAlertBoard();
    private final Map<String, WorkerRole> roles = new HashMap<>();
    private long beat = System.currentTimeMillis();

    private AllocatorSettings settings;
    private AllocatorLoop loop;

    private void start(Map<String, String> config) {
        Map<String, String> all = new HashMap<>(Map.of("equilibria.allocator.min-dwell", "5m"));
        all.putAll(config);
        AllocatorProperties properties = new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate(AllocatorProperties.PREFIX, AllocatorProperties.class);
        AllocatorModels models = AllocatorModels.of(properties);
        settings = new AllocatorSettings(properties);
        DemandTracker demand = new DemandTracker(new DemandEstimator.Params(Duration.ofSeconds(60), 64, 1000),
                models.loadBased(), 1.0, true);
        loop = new AllocatorLoop(properties, settings, models, registry, loads, demand, alerts,
                new LocalActuator(publisher, properties.actuationTimeout(), meters), publisher,
                new AllocatorMetrics(meters, settings, alerts), clock);
    }

    /** 1 prefill, 3 decode workers; the prefill worker holds eight 4096-token prompts, decode is nearly idle. */
    private void prefillHeavyFleet() {
        worker("prefill-0", WorkerRole.PREFILL);
        for (int i = 0; i < 3; i++) {
            worker("decode-" + i, WorkerRole.DECODE);
        }
        report("prefill-0", 1, 7, 8 * 4096, 500);
        report("decode-0", 2, 0, 0, 300);
        report("decode-1", 1, 0, 0, 100);
        report("decode-2", 1, 0, 0, 150);
    }

    @Test
    void aSaturatedPrefillPoolGetsTheLeastLoadedDecodeWorkerAndTheDecisionIsPublishedWithItsReasons() {
        start(Map.of());
        prefillHeavyFleet();

        AllocatorState s = loop.decide();

        assertThat(s.current()).isEqualTo(new Split(1, 3));
        assertThat(s.observed().source()).isEqualTo(DemandTracker.Source.WORKER_LOAD);
        assertThat(s.decision().action()).isEqualTo(AllocationDecision.Action.CHANGE);
        assertThat(s.decision().applied()).isTrue();
        assertThat(s.decision().next()).isEqualTo(new Split(2, 2));
        assertThat(s.reasonCode()).isEqualTo(ReasonCode.STEP);
        assertThat(s.result().poaCompetition()).isGreaterThanOrEqualTo(1);
        assertThat(s.currentOutcome().prefill().utilisation()).isGreaterThan(0.9);
        assertThat(commands()).singleElement().satisfies(c -> {
            assertThat(c.workerId()).isEqualTo("decode-1");
            assertThat(c.role()).isEqualTo(WorkerRole.PREFILL);
        });
        assertThat(allocations()).singleElement().satisfies(a -> {
            assertThat(a.prefillWorkers()).isEqualTo(2);
            assertThat(a.decodeWorkers()).isEqualTo(2);
            assertThat(a.reason()).contains("step 1P/3D -> 2P/2D", "consolidation: decode pool with 2 workers",
                    "set_role prefill sent to decode-1");
            assertThat(a.routingWeights()).containsOnlyKeys("prefill-0", "decode-0", "decode-1", "decode-2");
        });
        assertThat(meters.get("equilibria.allocator.decisions").tag("action", "change").tag("reason", "step")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("equilibria.allocator.pool.workers").tag("pool", "prefill").tag("kind", "actual")
                .gauge().value()).isEqualTo(1);
    }

    @Test
    void heldWhilePausedThenOneWorkerPerStepAndNoStepUntilTheHeartbeatShowsTheNewRole() {
        start(Map.of("equilibria.allocator.min-dwell", "0s"));
        prefillHeavyFleet();
        settings.pause(now.get());

        AllocatorState paused = loop.decide();
        assertThat(paused.decision().action()).isEqualTo(AllocationDecision.Action.CHANGE);
        assertThat(paused.decision().applied()).isFalse();
        assertThat(paused.reasonCode()).isEqualTo(ReasonCode.PAUSED);
        assertThat(paused.decision().reasons()).anyMatch(r -> r.startsWith("actuation paused"))
                .noneMatch(r -> r.startsWith("advisory mode"));
        assertThat(allocations().get(0).reason()).startsWith("advisory: ");
        assertThat(commands()).isEmpty();

        settings.resume();
        tick(2);
        assertThat(loop.decide().reasonCode()).isEqualTo(ReasonCode.STEP);
        tick(2);
        AllocatorState waiting = loop.decide();
        assertThat(waiting.reasonCode()).isEqualTo(ReasonCode.ACTUATION_PENDING);
        assertThat(waiting.pendingActuation()).contains("decode-1");
        assertThat(waiting.decision().reasons()).anyMatch(r -> r.startsWith("waiting for the last actuation"));
        assertThat(commands()).hasSize(1);

        worker("decode-1", WorkerRole.PREFILL);
        report("decode-1", 1, 7, 8 * 4096, 500);
        tick(2);
        AllocatorState next = loop.decide();
        assertThat(next.current()).isEqualTo(new Split(2, 2));
        assertThat(next.reasonCode()).isEqualTo(ReasonCode.STEP);
        assertThat(commands()).extracting(WorkerCommand::workerId).containsExactly("decode-1", "decode-2");
    }

    @Test
    void aNewlyRaisedCapacityAlertLetsOneDecisionSkipTheDwell() {
        start(Map.of());
        prefillHeavyFleet();
        loop.decide();
        worker("decode-1", WorkerRole.PREFILL);
        report("prefill-0", 1, 7, 8 * 4096, 500);
        report("decode-1", 1, 7, 8 * 4096, 500);
        tick(10);
        AllocatorState dwell = loop.decide();
        assertThat(dwell.reasonCode()).isEqualTo(ReasonCode.DWELL);

        alerts.accept(new CapacityAlert(now.get().toEpochMilli(), "prefill", "raised", 2, 2, 1.2, 1.0,
                "every prefill worker at its cap"));
        tick(10);
        AllocatorState bypass = loop.decide();
        assertThat(bypass.decision().applied()).isTrue();
        assertThat(bypass.reasonCode()).isEqualTo(ReasonCode.CAPACITY_ALERT);
        assertThat(bypass.decision().reasons()).anyMatch(r -> r.contains("minimum dwell bypassed once"));
        assertThat(alerts.bypassArmed(dev.equilibria.control.game.Pool.PREFILL)).isFalse();
        assertThat(commands()).hasSize(2);
    }

    @Test
    void advisoryModeDecidesAndPublishesButNeverActuates() {
        start(Map.of("equilibria.allocator.advisory", "true"));
        prefillHeavyFleet();

        AllocatorState s = loop.decide();

        assertThat(s.decision().action()).isEqualTo(AllocationDecision.Action.CHANGE);
        assertThat(s.decision().applied()).isFalse();
        assertThat(s.reasonCode()).isEqualTo(ReasonCode.ADVISORY);
        assertThat(commands()).isEmpty();
        assertThat(allocations()).singleElement().satisfies(a -> {
            assertThat(a.reason()).startsWith("advisory: ");
            assertThat(a.prefillWorkers()).isEqualTo(1);
        });
    }

    @Test
    void anIdleFleetKeepsItsSplit() {
        start(Map.of());
        worker("prefill-0", WorkerRole.PREFILL);
        worker("decode-0", WorkerRole.DECODE);
        worker("decode-1", WorkerRole.DECODE);
        report("prefill-0", 0, 0, 0, 0);

        AllocatorState s = loop.decide();

        assertThat(s.observed().source()).isEqualTo(DemandTracker.Source.NONE);
        assertThat(s.decision().action()).isEqualTo(AllocationDecision.Action.KEEP);
        assertThat(commands()).isEmpty();
        assertThat(allocations()).hasSize(1);
    }

    @Test
    void theLocalActuatorCapsTheBudgetAtTheLiveWorkersAndTooFewWorkersSkipTheDecision() {
        start(Map.of("equilibria.allocator.budget", "8"));
        prefillHeavyFleet();
        AllocatorState capped = loop.decide();
        assertThat(capped.budget()).isEqualTo(4);
        assertThat(capped.decision().reasons()).anyMatch(r -> r.contains("budget 8 capped at the 4 live workers"));

        WorkerRegistry lonely = new WorkerRegistry(InstantSource.system(), Duration.ofSeconds(30));
        lonely.onHeartbeat(heartbeat("prefill-0", WorkerRole.PREFILL, false, beat++));
        settings.setBudget(null);
        AllocatorLoop small = new AllocatorLoop(AllocatorProperties.defaults(), settings,
                AllocatorModels.of(AllocatorProperties.defaults()), lonely, loads,
                new DemandTracker(DemandEstimator.Params.DEFAULTS, AllocatorModels.of(AllocatorProperties.defaults())
                        .loadBased(), 1.0, true), alerts, new LocalActuator(publisher, Duration.ofMinutes(1), meters),
                publisher, new AllocatorMetrics(new SimpleMeterRegistry(), settings, alerts), clock);
        AllocatorState skipped = small.decide();
        assertThat(skipped.decision()).isNull();
        assertThat(skipped.skipped()).contains("fewer than two workers");
    }

    @Test
    void weightsAreRepublishedWhenTheyMoveButNotMoreOftenThanTheMinimumInterval() {
        start(Map.of("equilibria.allocator.weights-min-interval", "2s"));
        worker("prefill-0", WorkerRole.PREFILL);
        worker("decode-0", WorkerRole.DECODE);
        worker("decode-1", WorkerRole.DECODE);
        report("decode-0", 0, 0, 0, 0);
        report("decode-1", 0, 0, 0, 0);
        loop.decide();
        int published = allocations().size();

        report("decode-0", 200, 50, 0, 40_000);
        tick(1);
        assertThat(loop.publishWeightsIfChanged()).as("within the minimum interval").isFalse();
        tick(2);
        assertThat(loop.publishWeightsIfChanged()).isTrue();
        Allocation update = allocations().get(allocations().size() - 1);
        assertThat(update.reason()).contains("routing weights");
        assertThat(update.routingWeights().get("decode-1")).isGreaterThan(update.routingWeights().get("decode-0"));
        tick(3);
        report("decode-0", 200, 50, 0, 40_000);
        report("decode-1", 0, 0, 0, 0);
        assertThat(loop.publishWeightsIfChanged()).as("nothing moved").isFalse();
        assertThat(allocations()).hasSize(published + 1);
    }

    private void worker(String id, WorkerRole role) {
        roles.put(id, role);
        registry.onHeartbeat(heartbeat(id, role, false, beat++));
    }

    private void report(String id, int running, int waiting, long prefillTokens, int kvBlocks) {
        var l = load(id, roles.get(id), running, waiting, kvBlocks, prefillTokens);
        loads.onLoad(EventCodec.encode(new dev.equilibria.protocol.event.WorkerLoad(l.workerId(), l.role(),
                now.get().toEpochMilli(), l.runningRequests(), l.waitingRequests(), l.kvBlocksUsed(),
                l.kvBlocksTotal(), l.waitingPrefillTokens(), 0)));
    }

    private void tick(long seconds) {
        now.updateAndGet(t -> t.plusSeconds(seconds));
    }

    private List<WorkerCommand> commands() {
        return publisher.sent(Topics.WORKER_COMMANDS, WorkerCommand.class);
    }

    private List<Allocation> allocations() {
        return publisher.sent(Topics.ALLOCATIONS, Allocation.class);
    }
}
