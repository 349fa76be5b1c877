package dev.equilibria.routing.policy;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.registry.Heartbeats;
import dev.equilibria.routing.registry.LiveWorker;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/** Candidate fixtures: workers with block size 64 (the {@link Heartbeats} default). */
final class Candidates {

    private Candidates() {
    }

    static LiveWorker worker(String id) {
        return new LiveWorker(Heartbeats.of(id, WorkerRole.PREFILL), Instant.EPOCH, Instant.EPOCH);
    }

    /** A candidate for a request of {@code requestBlocks} blocks. */
    static Candidate of(String id, int overlap, double requestBlocks, double queuedPrefill, double decode) {
        return new Candidate(worker(id), overlap, requestBlocks, queuedPrefill, decode, 0, 1.0);
    }

    static Candidate weighted(String id, double weight) {
        return new Candidate(worker(id), 0, 1, 0, 0, 0, weight);
    }

    static SelectionContext context(List<Candidate> candidates, PolicySettings settings, RandomGenerator random) {
        return new SelectionContext(WorkerRole.PREFILL, candidates, PolicySettings.DEFAULTS.overriddenBy(settings),
                random);
    }

    /** A random source that answers with the given doubles, then the given ints, in turn. */
    static RandomGenerator scripted(double... doubles) {
        return new RandomGenerator() {
            private int next;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("scripted: only nextDouble");
            }

            @Override
            public double nextDouble() {
                return doubles[next++];
            }
        };
    }
}
