package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.ArrayList;
import java.util.List;

/** Hand-made routing decisions for the efficiency tests. */
final class Decisions {

    static final RouterSettings AFFINITY = new RouterSettings("kv", 1.0, 0.0);
    static final RouterSettings BALANCING = new RouterSettings("kv", 0.1, 0.8);

    private Decisions() {
    }

    /** A candidate whose kv cost with {@code w = 1} is {@code prefill + decode}. */
    static CandidateCost candidate(String worker, double prefill, double decode) {
        return new CandidateCost(worker, 0, prefill, decode, prefill + decode);
    }

    static RoutingDecision decision(String id, long timestampMs, String chosen, CandidateCost... candidates) {
        return decision(id, timestampMs, AFFINITY, chosen, candidates);
    }

    static RoutingDecision decision(String id, long timestampMs, RouterSettings settings, String chosen,
                                    CandidateCost... candidates) {
        return new RoutingDecision(id, "gw-0", timestampMs, RoutingLeg.PREFILL, chosen, settings, 256, 4, 64,
                List.of(candidates));
    }

    /**
     * A decision whose candidates' costs are given per worker in order {@code w0, w1, ...}; {@code Double.NaN} leaves
     * that worker out of the candidates.
     */
    static RoutingDecision costs(String id, long timestampMs, int chosen, double... perWorker) {
        List<CandidateCost> candidates = new ArrayList<>();
        for (int j = 0; j < perWorker.length; j++) {
            if (!Double.isNaN(perWorker[j])) {
                candidates.add(candidate("w" + j, perWorker[j], 0));
            }
        }
        return new RoutingDecision(id, "gw-0", timestampMs, RoutingLeg.PREFILL, "w" + chosen, AFFINITY, 256, 4, 64,
                candidates);
    }
}
