package dev.equilibria.routing.policy;

import dev.equilibria.protocol.WorkerRole;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Everything a policy may use to place one leg.
 *
 * @param leg        {@link WorkerRole#PREFILL}, {@link WorkerRole#DECODE} or {@link WorkerRole#AGGREGATED} (both)
 * @param candidates at least one, in a stable order (by worker id)
 * @param settings   resolved settings (every field set)
 * @param random     the router's injected random source, for sampling and tie-breaking
 */
public record SelectionContext(WorkerRole leg, List<Candidate> candidates, PolicySettings settings,
                               RandomGenerator random) {

    public SelectionContext {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one candidate");
        }
    }

    public int size() {
        return candidates.size();
    }

    public Candidate candidate(int i) {
        return candidates.get(i);
    }
}
