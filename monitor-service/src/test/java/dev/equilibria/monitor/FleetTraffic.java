package dev.equilibria.monitor;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.event.WorkerLoad;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A stand-in fleet on Kafka for the monitor's integration tests: two prefill and two decode workers that beat and
 * report load, and a gateway that logs a routing decision per leg and a request record per finished request, at a
 * rate and latency the test sets phase by phase. The gateway follows the router settings the test hands it, as the
 * real one follows {@code router-config}. Seeded, so runs differ only by timing.
 */
final class FleetTraffic implements AutoCloseable {

    static final int MAX_NUM_SEQS = 16;
    static final List<String> PREFILL = List.of("prefill-0", "prefill-1");
    static final List<String> DECODE = List.of("decode-0", "decode-1");

    /**
     * One phase of the load.
     *
     * @param arrivalsPerSecond requests per second
     * @param ttftMs            typical TTFT; each request gets it within +-15 %
     * @param herd              true: every prefill leg goes to prefill-0, which is full while prefill-1 idles
     * @param waiting           requests waiting on each loaded prefill worker
     * @param running           requests running on each loaded prefill worker
     */
    record Phase(String name, double arrivalsPerSecond, double ttftMs, boolean herd, int waiting, int running) {
    }

    private static final long TICK_MS = 100;

    private final KafkaTemplate<String, String> kafka;
    private final Random random = new Random(7);
    private final AtomicReference<Phase> phase = new AtomicReference<>();
    private final AtomicReference<RouterSettings> settings =
            new AtomicReference<>(new RouterSettings("kv", 1.0, 0.0));
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private double owed;
    private long ticks;
    private long requests;

    FleetTraffic(KafkaTemplate<String, String> kafka, Phase first) {
        this.kafka = kafka;
        this.phase.set(first);
        kafka.send(Topics.ALLOCATIONS, "allocator", EventCodec.encode(new Allocation(System.currentTimeMillis(), 2, 2,
                Map.of("prefill-0", 0.5, "prefill-1", 0.5, "decode-0", 0.5, "decode-1", 0.5),
                "test fleet: 2P/2D")));
        executor.scheduleAtFixedRate(this::tickSafely, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    void set(Phase next) {
        phase.set(next);
    }

    /** The gateway now routes with these settings (what a gateway does on a router-config override). */
    void follow(RouterSettings next) {
        settings.set(next);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private synchronized void tick() {
        long now = System.currentTimeMillis();
        Phase p = phase.get();
        if (ticks++ % 5 == 0) {
            for (String w : PREFILL) {
                beat(w, WorkerRole.PREFILL, now);
            }
            for (String w : DECODE) {
                beat(w, WorkerRole.DECODE, now);
            }
        }
        if (ticks % 2 == 0) {
            for (int i = 0; i < PREFILL.size(); i++) {
                boolean loaded = !p.herd() || i == 0;
                int running = loaded ? p.running() : 1;
                int waiting = loaded ? p.waiting() : 0;
                load(PREFILL.get(i), WorkerRole.PREFILL, now, running, waiting, 100 + 20 * running);
            }
            for (String w : DECODE) {
                load(w, WorkerRole.DECODE, now, Math.min(MAX_NUM_SEQS - 2, 2 + (int) p.arrivalsPerSecond() / 10), 0,
                        200);
            }
        }
        owed += p.arrivalsPerSecond() * TICK_MS / 1000.0;
        while (owed >= 1) {
            owed -= 1;
            request(p, now);
        }
    }

    private void beat(String worker, WorkerRole role, long now) {
        kafka.send(Topics.HEARTBEATS, worker, EventCodec.encode(new WorkerHeartbeat(worker, role,
                "http://127.0.0.1:1", "test-model", new WorkerCapacity(MAX_NUM_SEQS, 8192, 1000, 64, 131_072), false,
                now)));
    }

    private void load(String worker, WorkerRole role, long now, int running, int waiting, int kvBlocks) {
        kafka.send(Topics.WORKER_LOAD, worker, EventCodec.encode(new WorkerLoad(worker, role, now, running, waiting,
                kvBlocks, 1000, waiting * 512L, 0.5)));
    }

    private void request(Phase p, long now) {
        String id = "req-" + (++requests);
        RouterSettings s = settings.get();
        int hot = p.herd() ? 0 : random.nextInt(2);
        List<CandidateCost> prefill = List.of(
                candidate("prefill-0", p.herd() ? 8 + p.waiting() : 8, s),
                candidate("prefill-1", 8, s));
        String prefillWorker = PREFILL.get(hot);
        kafka.send(Topics.ROUTING_DECISIONS, id, EventCodec.encode(new RoutingDecision(id, "gw-test", now,
                RoutingLeg.PREFILL, prefillWorker, s, 512, 8, 64, prefill)));
        String decodeWorker = DECODE.get(random.nextInt(2));
        kafka.send(Topics.ROUTING_DECISIONS, id, EventCodec.encode(new RoutingDecision(id, "gw-test", now,
                RoutingLeg.DECODE, decodeWorker, s, 512, 8, 64,
                List.of(new CandidateCost("decode-0", 0, 0, 20 + random.nextInt(10), 0),
                        new CandidateCost("decode-1", 0, 0, 20 + random.nextInt(10), 0)))));
        double ttft = p.ttftMs() * (0.85 + 0.3 * random.nextDouble());
        double itl = 20 + 10 * random.nextDouble();
        kafka.send(Topics.REQUEST_RECORDS, id, EventCodec.encode(new RequestRecord(id, "gw-test", now, "success",
                prefillWorker, decodeWorker, 512, 128 + random.nextInt(256), 64, ttft, itl, ttft + 63 * itl)));
    }

    private CandidateCost candidate(String worker, double queuedBlocks, RouterSettings s) {
        double prefillBlocks = queuedBlocks + random.nextInt(3);
        double decodeBlocks = 10 + random.nextInt(5);
        return new CandidateCost(worker, 2, prefillBlocks, decodeBlocks,
                s.overlapScoreWeight() * prefillBlocks + decodeBlocks);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
