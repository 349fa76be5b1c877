package dev.equilibria.control.allocation;

import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.SocialOptimumSolver;
import dev.equilibria.control.game.Split;
import dev.equilibria.control.game.SplitOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a solved game into a decision about the split, cautiously. In order:
 *
 * <ol>
 *   <li>Forced moves: a pool with no worker gets the target at once (nothing to disrupt); a split over the budget
 *       shrinks to it at once (the workers are not there). Hysteresis, dwell, step and consolidation do not
 *       apply.</li>
 *   <li>At the target: keep.</li>
 *   <li>Hysteresis: the target must beat the current split by more than {@code hysteresis}, in goodput (share of
 *       demand) or, at no goodput loss, in social cost (relative).</li>
 *   <li>Dwell: no change within {@code min_dwell} of the last applied one.</li>
 *   <li>Step: move at most {@code max_step} workers per pool toward the target, never past the budget, never
 *       below one worker per pool.</li>
 *   <li>Consolidation: a pool that would shrink must pass {@link ConsolidationCheck}.</li>
 *   <li>Advisory mode records the change without applying it.</li>
 * </ol>
 *
 * Holds the time of the last applied change, so one instance serves one allocator. Not thread-safe.
 */
public final class AllocationPolicy {

    private final AllocationParams params;
    private final ConsolidationCheck consolidation;
    private Instant lastChange;

    public AllocationPolicy(AllocationParams params) {
        this(params, null);
    }

    /** @param lastChange when the split last changed, if known (a standby taking over); null for never */
    public AllocationPolicy(AllocationParams params, Instant lastChange) {
        this.params = Objects.requireNonNull(params, "params");
        this.consolidation = new ConsolidationCheck(params.headroom());
        this.lastChange = lastChange;
    }

    public AllocationParams params() {
        return params;
    }

    public Instant lastChange() {
        return lastChange;
    }

    public AllocationDecision decide(DecisionInput in) {
        PoolGame game = in.game();
        GameResult result = in.result();
        Split current = in.current();
        int budget = game.budget();
        Split target = params.objective() == Objective.OPTIMUM
                ? result.optimum().split() : result.equilibrium().split();
        List<String> reasons = new ArrayList<>();
        reasons.add("target " + target + " (" + params.objective().configName() + ") for budget " + budget);

        SplitOutcome now = game.evaluate(current);
        SplitOutcome then = game.evaluate(target);
        double demand = game.workload().arrivalRate();
        double goodputGain = demand > 0 ? (then.goodput() - now.goodput()) / demand : 0;
        double costGain = relativeDrop(now.socialCost(), then.socialCost());
        if (!current.equals(target)) {
            reasons.add(String.format(Locale.ROOT,
                    "predicted goodput %.3f -> %.3f req/s (%+.1f%% of demand), social cost %.3f -> %.3f (%+.1f%%)",
                    now.goodput(), then.goodput(), 100 * goodputGain, now.socialCost(), then.socialCost(),
                    -100 * costGain));
        }

        if (current.prefillWorkers() == 0 || current.decodeWorkers() == 0) {
            reasons.add("a pool has no worker; taking the target at once");
            return change(in, target, target, goodputGain, costGain, reasons);
        }
        if (current.total() > budget) {
            Split next = shrinkToBudget(current, target, budget);
            reasons.add("current " + current + " exceeds the budget of " + budget + "; shrinking at once");
            return change(in, target, next, goodputGain, costGain, reasons);
        }
        if (current.equals(target)) {
            reasons.add("already at target");
            return keep(in, target, 0, 0, reasons);
        }
        boolean worthIt = goodputGain > params.hysteresis()
                || (goodputGain >= -SocialOptimumSolver.GOODPUT_TIE_TOLERANCE && costGain > params.hysteresis());
        if (!worthIt) {
            reasons.add(String.format(Locale.ROOT, "gain within the hysteresis margin of %.1f%%",
                    100 * params.hysteresis()));
            return keep(in, target, goodputGain, costGain, reasons);
        }
        if (lastChange != null && in.now().isBefore(lastChange.plus(params.minDwell()))) {
            Duration left = Duration.between(in.now(), lastChange.plus(params.minDwell()));
            reasons.add("dwell: last change at " + lastChange + ", " + left.toSeconds() + " s of "
                    + params.minDwell().toSeconds() + " s left");
            return keep(in, target, goodputGain, costGain, reasons);
        }

        Split next = step(current, target, budget);
        for (Pool pool : Pool.values()) {
            if (next.workers(pool) < current.workers(pool)) {
                ConsolidationCheck.Verdict verdict =
                        consolidation.check(pool, next.workers(pool), game, in.loads());
                reasons.add("consolidation: " + verdict.reason());
                if (!verdict.safe()) {
                    return keep(in, target, goodputGain, costGain, reasons);
                }
            }
        }
        reasons.add("step " + current + " -> " + next);
        return change(in, target, next, goodputGain, costGain, reasons);
    }

    private AllocationDecision change(DecisionInput in, Split target, Split next, double goodputGain,
                                      double costGain, List<String> reasons) {
        if (params.advisory()) {
            reasons.add("advisory mode: not applied");
            return new AllocationDecision(in.now(), AllocationDecision.Action.CHANGE, false, in.current(), target,
                    next, goodputGain, costGain, reasons);
        }
        lastChange = in.now();
        return new AllocationDecision(in.now(), AllocationDecision.Action.CHANGE, true, in.current(), target, next,
                goodputGain, costGain, reasons);
    }

    private static AllocationDecision keep(DecisionInput in, Split target, double goodputGain, double costGain,
                                           List<String> reasons) {
        return new AllocationDecision(in.now(), AllocationDecision.Action.KEEP, false, in.current(), target,
                in.current(), goodputGain, costGain, reasons);
    }

    /** One step toward the target; growth that the free budget cannot cover is trimmed. */
    Split step(Split current, Split target, int budget) {
        int p = current.prefillWorkers() + clamp(target.prefillWorkers() - current.prefillWorkers());
        int d = current.decodeWorkers() + clamp(target.decodeWorkers() - current.decodeWorkers());
        int over = p + d - budget;
        if (over > 0 && p > current.prefillWorkers()) {
            int cut = Math.min(over, p - current.prefillWorkers());
            p -= cut;
            over -= cut;
        }
        if (over > 0 && d > current.decodeWorkers()) {
            d -= Math.min(over, d - current.decodeWorkers());
        }
        return new Split(Math.max(1, p), Math.max(1, d));
    }

    private int clamp(int delta) {
        return Math.max(-params.maxStep(), Math.min(params.maxStep(), delta));
    }

    /** Cuts the pools that are above their target first, then the larger one, until the split fits. */
    static Split shrinkToBudget(Split current, Split target, int budget) {
        int p = current.prefillWorkers();
        int d = current.decodeWorkers();
        int over = p + d - budget;
        int cut = Math.min(over, Math.max(0, p - target.prefillWorkers()));
        p -= cut;
        over -= cut;
        cut = Math.min(over, Math.max(0, d - target.decodeWorkers()));
        d -= cut;
        over -= cut;
        while (over > 0) {
            if (p >= d && p > 1) {
                p--;
            } else {
                d--;
            }
            over--;
        }
        return new Split(p, d);
    }

    private static double relativeDrop(double from, double to) {
        if (from == to) {
            return 0;
        }
        if (Double.isInfinite(from)) {
            return Double.isInfinite(to) ? 0 : 1;
        }
        return from > 0 ? (from - to) / from : 0;
    }
}
