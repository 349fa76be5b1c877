package dev.equilibria.benchmarks;

import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.routing.index.KvApplyResult;
import dev.equilibria.routing.index.KvEventIndex;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The KV index applying workers' KV events on one thread, as the gateway's consumer does: 64 workers, each holding
 * {@value #RESIDENT} blocks in steady state (about a million entries in all), events alternating between storing
 * fresh blocks and evicting the oldest ones, with consecutive sequence numbers. Reported per block event (one hash
 * stored or removed); JSON decoding is not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class KvIndexBenchmark {

    static final int WORKERS = 64;
    static final int RESIDENT = 16_384;
    static final int DISTINCT = RESIDENT + 4096;

    private KvEventIndex index;
    private String[] workerIds;
    private Long[][] hashes;
    private long[] seq;
    private int[] storeCursor;
    private int[] removeCursor;
    private int worker;
    private boolean store = true;

    @Setup(Level.Trial)
    public void fill() {
        index = new KvEventIndex(InstantSource.fixed(java.time.Instant.EPOCH));
        SplittableRandom random = new SplittableRandom(3);
        workerIds = new String[WORKERS];
        hashes = new Long[WORKERS][DISTINCT];
        seq = new long[WORKERS];
        storeCursor = new int[WORKERS];
        removeCursor = new int[WORKERS];
        Long[] shared = new Long[64];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = random.nextLong();
        }
        for (int w = 0; w < WORKERS; w++) {
            workerIds[w] = "worker-" + w;
            for (int i = 0; i < DISTINCT; i++) {
                // a shared system prompt's blocks are cached everywhere; the rest is the worker's own
                hashes[w][i] = i < shared.length ? shared[i] : random.nextLong();
            }
            index.apply(new KvEvent.AllCleared(workerIds[w], ++seq[w], 0));
            for (int i = 0; i < RESIDENT; i += 256) {
                index.apply(new KvEvent.BlocksStored(workerIds[w], ++seq[w], 0, null,
                        Arrays.asList(hashes[w]).subList(i, i + 256)));
            }
            storeCursor[w] = RESIDENT;
        }
    }

    /** Events of 16 blocks (a 1k-token prompt's worth at block_size 64); the score is block events per second. */
    @Benchmark
    @OperationsPerInvocation(16)
    public KvApplyResult events16Blocks() {
        return apply(16);
    }

    /** Events of one block each, the worst case for per-event overhead. */
    @Benchmark
    @OperationsPerInvocation(1)
    public KvApplyResult events1Block() {
        return apply(1);
    }

    private KvApplyResult apply(int blocks) {
        int w = worker;
        KvEvent event;
        if (store) {
            event = new KvEvent.BlocksStored(workerIds[w], ++seq[w], 0, null, window(w, storeCursor, blocks));
        } else {
            event = new KvEvent.BlocksRemoved(workerIds[w], ++seq[w], 0, window(w, removeCursor, blocks));
        }
        if (++worker == WORKERS) {
            worker = 0;
            store = !store;
        }
        return index.apply(event);
    }

    /** The next {@code blocksPerEvent} hashes of the worker after the cursor, advancing it (cyclically). */
    private List<Long> window(int w, int[] cursor, int blocksPerEvent) {
        int from = cursor[w] % DISTINCT;
        int to = from + blocksPerEvent;
        cursor[w] += blocksPerEvent;
        if (to <= DISTINCT) {
            return Arrays.asList(hashes[w]).subList(from, to);
        }
        Long[] wrapped = new Long[blocksPerEvent];
        for (int i = 0; i < blocksPerEvent; i++) {
            wrapped[i] = hashes[w][(from + i) % DISTINCT];
        }
        return Arrays.asList(wrapped);
    }
}
