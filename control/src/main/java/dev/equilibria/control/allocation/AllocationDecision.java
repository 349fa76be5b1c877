package dev.equilibria.control.allocation;

import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.event.Allocation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One allocation decision and why.
 *
 * @param action            keep the split, or change it
 * @param applied           false for a keep, and for a change in advisory mode (a dry run records what it would do)
 * @param current           split in force when deciding
 * @param target            the game's split for the objective
 * @param next              the split after this decision: one step toward the target, or {@code current}
 * @param goodputGain       predicted goodput gain of the target over the current split, as a share of demand
 * @param costGain          predicted relative drop in social cost of the target over the current split
 * @param reasons           every check that spoke, in order
 */
public record AllocationDecision(Instant at, Action action, boolean applied, Split current, Split target, Split next,
                                 double goodputGain, double costGain, List<String> reasons) {

    public enum Action { KEEP, CHANGE }

    public AllocationDecision {
        reasons = List.copyOf(reasons);
    }

    /** The split in force after this decision. */
    public Split effective() {
        return applied ? next : current;
    }

    /** The event the allocator publishes, with the routing weights computed beside the decision. */
    public Allocation toEvent(Map<String, Double> routingWeights) {
        Split s = effective();
        String why = (applied ? "" : action == Action.CHANGE ? "advisory: " : "") + String.join("; ", reasons);
        return new Allocation(at.toEpochMilli(), s.prefillWorkers(), s.decodeWorkers(), routingWeights, why);
    }
}
