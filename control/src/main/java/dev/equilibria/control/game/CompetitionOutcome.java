package dev.equilibria.control.game;

import java.util.List;

/**
 * Where unregulated competition between the pools ends.
 *
 * @param kind        a fixed point of best responses, or a cycle
 * @param trajectory  claims after every move, starting with the initial claims
 * @param cycle       the splits the dynamics keep visiting: one split at a fixed point, the loop at a cycle
 * @param split       the final split (at a cycle, the one granted after the last move)
 * @param socialCost  social cost at the fixed point, or averaged over the cycle's moves
 * @param goodput     goodput likewise
 */
public record CompetitionOutcome(Kind kind, List<Claims> trajectory, List<Split> cycle, Split split,
                                 double socialCost, double goodput) {

    public enum Kind { FIXED_POINT, CYCLE }

    public CompetitionOutcome {
        trajectory = List.copyOf(trajectory);
        cycle = List.copyOf(cycle);
    }
}
