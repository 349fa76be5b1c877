package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;

/**
 * Dynamo's kv router cost, {@code c_j = w * prefill_blocks_j + decode_blocks_j}: the default PoA-hat cost, the
 * one the paper measures with.
 *
 * <p>By default {@code w} is the {@code overlap_score_weight} the decision was made with. Windows are split when
 * the settings change, so within a window this is "the window's w". A fixed {@code w} makes windows comparable
 * across router configurations (the same objective whatever the router optimised).
 */
public final class KvCostModel implements CostModel {

    public static final String NAME = "kv";

    private final double fixedWeight;

    private KvCostModel(double fixedWeight) {
        this.fixedWeight = fixedWeight;
    }

    /** {@code w} from each decision's own settings. */
    public static KvCostModel decisionWeight() {
        return new KvCostModel(Double.NaN);
    }

    /** The same {@code w} for every decision, whatever the router used. */
    public static KvCostModel fixedWeight(double overlapScoreWeight) {
        if (!(overlapScoreWeight >= 0) || Double.isInfinite(overlapScoreWeight)) {
            throw new IllegalArgumentException("overlap_score_weight must be finite and not negative, got "
                    + overlapScoreWeight);
        }
        return new KvCostModel(overlapScoreWeight);
    }

    @Override
    public double cost(RoutingDecision decision, CandidateCost candidate) {
        double w = Double.isNaN(fixedWeight) ? decision.settings().overlapScoreWeight() : fixedWeight;
        return w * candidate.prefillBlocks() + candidate.decodeBlocks();
    }

    @Override
    public String toString() {
        return Double.isNaN(fixedWeight) ? "kv(w=decision)" : "kv(w=" + fixedWeight + ")";
    }
}
