package dev.equilibria.routing.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the router knows about the workers' KV caches: for a request's chained block hashes, how long a prefix each
 * worker already holds. Two implementations: {@link KvEventIndex} mirrors the workers' own KV events exactly, and
 * {@link ApproximateKvIndex} remembers the router's own decisions for a while when there are no events.
 * Implementations are thread-safe.
 */
public interface KvIndex {

    /** Config name of the exact, event-fed mode. */
    String EVENTS = "events";
    /** Config name of the approximate mode. */
    String APPROXIMATE = "approximate";

    /** {@link #EVENTS} or {@link #APPROXIMATE}. */
    String mode();

    /**
     * For each worker, in order, the number of leading {@code blockHashes} it caches (its overlap in blocks).
     * A worker the index does not know caches nothing. Hashes are read front to back and no further than the
     * longest overlap plus one.
     */
    int[] overlaps(PrefixHashes blockHashes, List<String> workerIds);

    /** {@link #overlaps(PrefixHashes, List)} for hashes in an array. */
    default int[] overlaps(long[] blockHashes, List<String> workerIds) {
        return overlaps(PrefixHashes.of(blockHashes), workerIds);
    }

    /** A request with these block hashes was sent to the worker (the approximate mode learns from this). */
    void onRouted(String workerId, long[] blockHashes);

    /** Blocks the index believes the worker caches. */
    int cachedBlocks(String workerId);

    /** Cached block count per known worker, ordered by worker id. */
    Map<String, Integer> blockCounts();

    /**
     * Drops every worker not in {@code liveWorkers} with its blocks (a lost worker's cache is gone), and starts
     * tracking live workers the index has not heard of.
     *
     * @return the workers dropped
     */
    Collection<String> reconcile(Set<String> liveWorkers);
}
