package dev.equilibria.protocol.worker;

/** HTTP paths of a worker's legs, relative to the endpoint in its heartbeat. */
public final class WorkerPaths {

    public static final String PREFILL = "/workers/{workerId}/prefill";
    public static final String DECODE = "/workers/{workerId}/decode";
    /** DELETE releases the prefill worker's hold on a handed-off request's KV. */
    public static final String HANDOFF = "/workers/{workerId}/handoffs/{requestId}";
    /**
     * The status of a leg refused because every batch slot is taken, when the leg asked to be refused rather than
     * queued ({@code refuse_when_full}); the gateway places it on another worker.
     */
    public static final int FULL_STATUS = 429;

    private WorkerPaths() {
    }

    public static String prefill(String workerId) {
        return PREFILL.replace("{workerId}", workerId);
    }

    public static String decode(String workerId) {
        return DECODE.replace("{workerId}", workerId);
    }

    public static String handoff(String workerId, String requestId) {
        return HANDOFF.replace("{workerId}", workerId).replace("{requestId}", requestId);
    }
}
