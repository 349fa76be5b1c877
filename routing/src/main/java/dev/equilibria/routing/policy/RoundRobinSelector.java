package dev.equilibria.routing.policy;

import dev.equilibria.protocol.WorkerRole;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cycles through the candidates of each leg in turn, ignoring cache and load. Each leg keeps its own turn counter,
 * so prefill and decode pools are balanced on their own. When the pool changes size the rotation shifts, which is
 * harmless for a policy with no memory of placement. Reads no parameters; every cost is 0.
 */
public final class RoundRobinSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "round_robin";

    private final Map<WorkerRole, AtomicLong> turns = new EnumMap<>(WorkerRole.class);

    public RoundRobinSelector() {
        for (WorkerRole leg : WorkerRole.values()) {
            turns.put(leg, new AtomicLong());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        long turn = turns.get(context.leg()).getAndIncrement();
        return new Selection((int) Math.floorMod(turn, (long) context.size()), new double[context.size()]);
    }
}
