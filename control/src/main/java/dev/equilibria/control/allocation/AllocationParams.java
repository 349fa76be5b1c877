package dev.equilibria.control.allocation;

import java.time.Duration;
import java.util.Objects;

/**
 * How cautiously the allocator acts.
 *
 * @param objective  the split to steer toward
 * @param hysteresis predicted relative gain (goodput as a share of demand, or social cost) the target must offer
 *                   over the current split before anything moves
 * @param minDwell   least time between two applied changes; a role switch drains a worker, so changes are costly
 * @param maxStep    most workers one decision moves into or out of a pool
 * @param headroom   a pool may shrink only if its remaining workers would run at utilisation <= 1 / headroom
 * @param advisory   dry run: decide and record, never apply
 */
public record AllocationParams(Objective objective, double hysteresis, Duration minDwell, int maxStep,
                               double headroom, boolean advisory) {

    public static final Objective DEFAULT_OBJECTIVE = Objective.OPTIMUM;
    /** 5 %: more than a forecast's typical noise between two evaluations. */
    public static final double DEFAULT_HYSTERESIS = 0.05;
    public static final Duration DEFAULT_MIN_DWELL = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_STEP = 1;
    /** Remaining workers of a shrinking pool must run at or below 1 / 1.25 = 80 % utilisation. */
    public static final double DEFAULT_HEADROOM = 1.25;
    public static final boolean DEFAULT_ADVISORY = false;

    public static final AllocationParams DEFAULTS = new AllocationParams(DEFAULT_OBJECTIVE, DEFAULT_HYSTERESIS,
            DEFAULT_MIN_DWELL, DEFAULT_MAX_STEP, DEFAULT_HEADROOM, DEFAULT_ADVISORY);

    public AllocationParams {
        Objects.requireNonNull(objective, "allocation.objective");
        if (!(hysteresis >= 0) || Double.isInfinite(hysteresis)) {
            throw new IllegalArgumentException("allocation.hysteresis must be finite and >= 0, was " + hysteresis);
        }
        if (minDwell == null || minDwell.isNegative()) {
            throw new IllegalArgumentException("allocation.min_dwell must be zero or positive, was " + minDwell);
        }
        if (maxStep < 1) {
            throw new IllegalArgumentException("allocation.max_step must be at least 1, was " + maxStep);
        }
        if (!(headroom >= 1) || Double.isInfinite(headroom)) {
            throw new IllegalArgumentException("allocation.headroom must be finite and >= 1, was " + headroom);
        }
    }

    public AllocationParams withAdvisory(boolean dryRun) {
        return new AllocationParams(objective, hysteresis, minDwell, maxStep, headroom, dryRun);
    }
}
