package dev.equilibria.benchmarks;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.orchestration.LegRouter;
import dev.equilibria.routing.orchestration.RouteRequest;
import dev.equilibria.routing.orchestration.RoutedLeg;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.policy.RoutingWeights;
import dev.equilibria.routing.registry.LiveWorker;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision as the gateway makes it for a prompt that is already tokenized: hash the 8k-token prompt into
 * 128 blocks, look up every worker's cached prefix in the KV index, read 64 workers' load from the ledger, run the
 * policy, and build the decision event with all 64 candidates' cost terms. The index holds a realistic state: each
 * worker caches 16k blocks, among them a prefix of the prompt of random length. Sampled, so the report has p99.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RoutingDecisionBenchmark {

    static final int WORKERS = 64;
    static final int PROMPT_TOKENS = 8192;
    static final int BLOCK_SIZE = 64;

    private LegRouter router;
    private List<LiveWorker> candidates;
    private int[][] prompts;
    private RouteRequest[] hashed;
    private int next;

    private static final PolicySettings KV = PolicySettings.DEFAULTS;
    private static final PolicySettings KV_SOFTMAX = PolicySettings.DEFAULTS.overriddenBy(
            new PolicySettings(null, 1.0, 0.5, null, null, null));

    @Setup(Level.Trial)
    public void fleet() {
        InstantSource clock = InstantSource.fixed(Instant.EPOCH);
        SplittableRandom random = new SplittableRandom(5);
        KvEventIndex index = new KvEventIndex(clock);
        LoadLedger ledger = new LoadLedger("gw-bench", clock);
        BlockHasher hasher = new BlockHasher(BLOCK_SIZE);
        // a few prompt families (say, system prompts); each request is one family plus its own tail
        int[][] families = new int[8][];
        for (int f = 0; f < families.length; f++) {
            families[f] = random.ints(PROMPT_TOKENS, 0, 100_000).toArray();
        }
        prompts = new int[1024][];
        for (int p = 0; p < prompts.length; p++) {
            int[] prompt = families[p % families.length].clone();
            int shared = random.nextInt(PROMPT_TOKENS);
            for (int i = shared; i < PROMPT_TOKENS; i++) {
                prompt[i] = random.nextInt(100_000);
            }
            prompts[p] = prompt;
        }
        candidates = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String id = "prefill-" + w;
            candidates.add(new LiveWorker(new WorkerHeartbeat(id, WorkerRole.PREFILL, "http://10.0.0." + w + ":8080",
                    "llama-3.1-70b", new WorkerCapacity(256, 8192, 53_539, BLOCK_SIZE, 131_072), false, 0),
                    Instant.EPOCH, Instant.EPOCH));
            index.apply(new KvEvent.AllCleared(id, 1, 0));
            long[] family = hasher.hash(families[random.nextInt(families.length)]);
            List<Long> cached = new ArrayList<>();
            for (int b = 0, n = random.nextInt(family.length); b < n; b++) {
                cached.add(family[b]);
            }
            while (cached.size() < 16_384) {
                cached.add(random.nextLong());
            }
            index.apply(new KvEvent.BlocksStored(id, 2, 0, null, cached));
            ledger.reserve(id, random.nextInt(20_000), random.nextInt(3_000));
        }
        router = new LegRouter(index, ledger, new RoutingWeights(), new SplittableRandom(9), System::nanoTime,
                clock);
        hashed = new RouteRequest[prompts.length];
        for (int p = 0; p < prompts.length; p++) {
            hashed[p] = new RouteRequest("r", "llama-3.1-70b", prompts[p], 256);
            hashed[p].blockHashes(BLOCK_SIZE); // the gateway hashes once per request, before both legs
        }
    }

    /** The decision with the prompt's hashes already computed (the second leg of a request, or any leg but the hashing). */
    @Benchmark
    public RoutedLeg kvArgminPrehashed() {
        return router.route(WorkerRole.PREFILL, hashed[next++ & (hashed.length - 1)], candidates, KV);
    }

    /** Lowest cost (t = 0), the default. */
    @Benchmark
    public RoutedLeg kvArgmin() {
        return router.route(WorkerRole.PREFILL, nextRequest(), candidates, KV);
    }

    /** Softmax sampling (t = 0.5). */
    @Benchmark
    public RoutedLeg kvSoftmax() {
        return router.route(WorkerRole.PREFILL, nextRequest(), candidates, KV_SOFTMAX);
    }

    /** The hashing part alone (128 chained block hashes of the 8k-token prompt), for the breakdown. */
    @Benchmark
    public long[] hashOnly() {
        return new BlockHasher(BLOCK_SIZE).hash(prompts[next++ & (prompts.length - 1)]);
    }

    private RouteRequest nextRequest() {
        int[] prompt = prompts[next++ & (prompts.length - 1)];
        return new RouteRequest("r", "llama-3.1-70b", prompt, 256);
    }
}
