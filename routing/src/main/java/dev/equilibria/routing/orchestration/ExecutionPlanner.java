package dev.equilibria.routing.orchestration;

/**
 * Decides how a request starts from the pools it can use, before any worker is chosen. An empty prefill pool does
 * not fail the request: it runs aggregated on a decode-capable worker, and the plan says so, so the caller logs and
 * counts it; nothing falls back silently.
 */
public final class ExecutionPlanner {

    /** How a request starts. */
    public enum Start {
        /** One output token: the prefill leg alone produces it. */
        PREFILL_ONLY,
        /** Disaggregated, prefill worker chosen first. */
        PREFILL_FIRST,
        /** Disaggregated, decode worker chosen first (it may prefill locally). */
        DECODE_FIRST,
        /** The prefill pool is empty: the whole request runs on a decode-capable worker. */
        AGGREGATED_FALLBACK,
        /** Both pools are empty. */
        NO_PREFILL_WORKER,
        /** More than one token is wanted and no worker can decode. */
        NO_DECODE_WORKER
    }

    private ExecutionPlanner() {
    }

    public static Start start(OrchestrationMode mode, int maxTokens, int prefillCandidates, int decodeCandidates) {
        if (prefillCandidates == 0) {
            return decodeCandidates == 0 ? Start.NO_PREFILL_WORKER : Start.AGGREGATED_FALLBACK;
        }
        if (maxTokens <= 1) {
            return Start.PREFILL_ONLY;
        }
        if (decodeCandidates == 0) {
            return Start.NO_DECODE_WORKER;
        }
        return mode == OrchestrationMode.DECODE_FIRST ? Start.DECODE_FIRST : Start.PREFILL_FIRST;
    }
}
