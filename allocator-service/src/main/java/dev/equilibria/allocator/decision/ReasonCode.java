package dev.equilibria.allocator.decision;

import dev.equilibria.control.allocation.AllocationDecision;
import java.util.List;

/**
 * A short code for why a decision came out as it did, for the {@code reason} tag of
 * {@code equilibria_allocator_decisions_total} (few values, so the metric stays cheap); the full reasons travel
 * with the decision. Derived from the policy's reason texts, since the library reports reasons as prose.
 */
public final class ReasonCode {

    public static final String AT_TARGET = "at_target";
    public static final String HYSTERESIS = "hysteresis";
    public static final String DWELL = "dwell";
    public static final String CONSOLIDATION = "consolidation";
    public static final String STEP = "step";
    public static final String CAPACITY_ALERT = "capacity_alert";
    public static final String EMPTY_POOL = "empty_pool";
    public static final String OVER_BUDGET = "over_budget";
    public static final String ADVISORY = "advisory";
    public static final String PAUSED = "paused";
    public static final String ACTUATION_PENDING = "actuation_pending";
    public static final String ACTUATION_REFUSED = "actuation_refused";
    public static final String OTHER = "other";

    /** Every code, for documentation and tests. */
    public static final List<String> ALL = List.of(AT_TARGET, HYSTERESIS, DWELL, CONSOLIDATION, STEP, CAPACITY_ALERT,
            EMPTY_POOL, OVER_BUDGET, ADVISORY, PAUSED, ACTUATION_PENDING, ACTUATION_REFUSED, OTHER);

    /** Why a decision was not acted on, when the loop held it back. */
    public enum Hold { NONE, ADVISORY, PAUSED, PENDING, REFUSED }

    private ReasonCode() {
    }

    /**
     * @param bypassedDwell the change went ahead because a capacity alert bypassed the dwell time
     */
    public static String of(AllocationDecision decision, Hold hold, boolean bypassedDwell) {
        if (decision.action() == AllocationDecision.Action.CHANGE) {
            if (!decision.applied()) {
                return switch (hold) {
                    case PAUSED -> PAUSED;
                    case PENDING -> ACTUATION_PENDING;
                    case REFUSED -> ACTUATION_REFUSED;
                    default -> ADVISORY;
                };
            }
            if (contains(decision, "a pool has no worker")) {
                return EMPTY_POOL;
            }
            if (contains(decision, "exceeds the budget")) {
                return OVER_BUDGET;
            }
            return bypassedDwell ? CAPACITY_ALERT : STEP;
        }
        List<String> reasons = decision.reasons();
        for (int i = reasons.size() - 1; i >= 0; i--) {
            String r = reasons.get(i);
            if (r.startsWith("already at target")) {
                return AT_TARGET;
            }
            if (r.contains("hysteresis")) {
                return HYSTERESIS;
            }
            if (r.startsWith("dwell")) {
                return DWELL;
            }
            if (r.startsWith("consolidation")) {
                return CONSOLIDATION;
            }
        }
        return OTHER;
    }

    private static boolean contains(AllocationDecision decision, String text) {
        return decision.reasons().stream().anyMatch(r -> r.contains(text));
    }
}
