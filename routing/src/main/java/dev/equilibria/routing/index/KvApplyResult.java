package dev.equilibria.routing.index;

/** What {@link KvEventIndex#apply} did with one event. */
public enum KvApplyResult {
    /** The event was the next one of its worker and is applied. */
    APPLIED,
    /** The event was at or before the last one applied (a redelivery) and is ignored. */
    DUPLICATE,
    /**
     * The event was applied, but the worker's mirror is not known to be exact: events were missed (a sequence gap),
     * or the first event heard from the worker was not a snapshot. Ask the worker for a snapshot
     * ({@link KvEventIndex#snapshotsDue()}).
     */
    OUT_OF_SYNC
}
