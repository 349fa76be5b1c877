package dev.equilibria.routing.orchestration;

/**
 * How many workers a leg may try, and when it asks a worker to refuse it rather than queue it.
 *
 * <p>With {@code refuse_when_full} set, a leg is sent with "refuse when full": a worker whose batch slots are all
 * taken (running and queued sequences fill {@code max_num_seqs}) answers at once with a refusal, and the router
 * places the leg on another worker. This is admission feedback the router's load view cannot give: a stale view
 * (polled metrics, gateway replicas that see each other's traffic late) sends a leg to a worker it thinks has room,
 * and a full worker would hold it for a whole generation. The last worker its pool has, or the attempt after
 * {@link #MAX_FULL_REFUSALS_PER_LEG} refusals, is sent without the flag, so a leg that every worker refused still queues somewhere instead of failing. A
 * refusal for fullness is not a failure: it does not use up the leg's {@link #MAX_PER_LEG} attempts.
 */
public final class LegAttempts {

    /** Workers that failed a leg (refused it for another reason, unreachable, died) before the client hears of it. */
    public static final int MAX_PER_LEG = 3;

    /**
     * Full workers a leg may be refused by before it queues. A refusal costs one round trip and no breaker count,
     * so a leg may probe more workers than it may fail on: exactly at the knee the one free slot can sit on any
     * worker of the pool, and a leg that gave up after two refusals out of four workers queued for a whole
     * generation once in four.
     */
    public static final int MAX_FULL_REFUSALS_PER_LEG = 7;

    /** {@code refuse_when_full}'s default: off, workers queue what they cannot batch yet (Dynamo's behaviour). */
    public static final boolean DEFAULT_REFUSE_WHEN_FULL = false;

    private LegAttempts() {
    }

    /**
     * Whether the next attempt of a leg asks its worker to refuse it when full.
     *
     * @param refuseWhenFull the request's resolved {@code refuse_when_full}
     * @param fullRefusals   times this leg was already refused by a full worker
     * @param untriedOthers  workers of the pool, besides the one this attempt goes to, that the leg has not tried
     */
    public static boolean askToRefuseWhenFull(boolean refuseWhenFull, int fullRefusals, int untriedOthers) {
        return refuseWhenFull && untriedOthers > 0 && fullRefusals < MAX_FULL_REFUSALS_PER_LEG;
    }

    /** Whether a leg that {@code failed} workers failed (the last one included) may try another. */
    public static boolean mayTryAnother(int failed) {
        return failed < MAX_PER_LEG;
    }
}
