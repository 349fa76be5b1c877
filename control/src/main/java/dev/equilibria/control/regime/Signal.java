package dev.equilibria.control.regime;

/** What made a regime change. */
public enum Signal {
    /** The EWMA of TTFT P99 crossed {@code theta1_ms} or {@code theta2_ms}: the paper's deployed signal. */
    TTFT_P99,
    /**
     * A pool's utilisation score {@code max(queue / queue_cap, kv / kv_cap)} crossed its threshold: proposed in the
     * paper, not deployed there.
     */
    UTILISATION,
    /**
     * The workers' own load reports showed one pool's load uneven while some of its workers queued at their cap:
     * saturation is routing's doing, so the controller applied the table's balancing settings.
     */
    LOAD_IMBALANCE,
    /** Offered load fell enough below its level at entry to allow leaving (the exit condition). */
    OFFERED_LOAD,
    /** An operator forced or released a regime. */
    MANUAL
}
