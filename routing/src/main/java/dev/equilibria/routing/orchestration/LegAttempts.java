package dev.equilibria.routing.orchestration;

/**
 * How many workers a leg may try, and when it asks a worker to refuse it rather than queue it.
 *
 * <p>With {@code refuse_when_full} set, a leg is sent with "refuse when full": a worker whose batch slots are all
 * taken (running and queued sequences fill {@code max_num_seqs}) answers at once with a refusal, and the router
 * places the leg on another worker that has not refused it. This is admission feedback the router's load view cannot
 * give: a stale view (polled metrics, gateway replicas that see each other's traffic late) sends a leg to a worker it
 * thinks has room, and a full worker would hold it for a whole generation. Once every worker of the pool has refused
 * the leg, or after {@link #MAX_FULL_REFUSALS_PER_LEG} refusals, the router places it once more over the whole pool
 * without the flag, and it queues there: where the policy would have put it without refusals, so that past the knee,
 * when every worker is full, the queues stay as even as the policy keeps them (sending it to the last worker that
 * refused piled the overflow onto whichever worker the refusals happened to end on). A refusal for fullness is not a
 * failure: it does not use up the leg's {@link #MAX_PER_LEG} attempts.
 */
public final class LegAttempts {

    /** Workers that failed a leg (refused it for another reason, unreachable, died) before the client hears of it. */
    public static final int MAX_PER_LEG = 3;

    /**
     * Full workers a leg may be refused by before it queues. A refusal costs one round trip and no breaker count,
     * so a leg may probe more workers than it may fail on: exactly at the knee the one free slot can sit on any
     * worker of the pool.
     */
    public static final int MAX_FULL_REFUSALS_PER_LEG = 7;

    /** {@code refuse_when_full}'s default: off, workers queue what they cannot batch yet (Dynamo's behaviour). */
    public static final boolean DEFAULT_REFUSE_WHEN_FULL = false;

    private LegAttempts() {
    }

    /**
     * Whether the next attempt of a leg asks its worker to refuse it when full, and so is placed among the workers
     * that have not refused it; otherwise it is placed over the whole pool (less failed workers) and queues.
     *
     * @param refuseWhenFull the request's resolved {@code refuse_when_full}
     * @param fullRefusals   times this leg was already refused by a full worker
     * @param notRefused     workers of the pool (less failed ones) that have not refused this leg
     */
    public static boolean askToRefuseWhenFull(boolean refuseWhenFull, int fullRefusals, int notRefused) {
        return refuseWhenFull && notRefused > 0 && fullRefusals < MAX_FULL_REFUSALS_PER_LEG;
    }

    /** Whether a leg that {@code failed} workers failed (the last one included) may try another. */
    public static boolean mayTryAnother(int failed) {
        return failed < MAX_PER_LEG;
    }
}
