package dev.equilibria.control.allocation;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-worker routing weights proportional to predicted spare capacity, for the gateway's {@code weighted} policy.
 * Within each role (the gateway picks among workers of one role per leg):
 *
 * <pre>
 * load_i  = max(kv_blocks_used / kv_blocks_total,
 *               (running + waiting) / max_num_seqs,
 *               waiting_prefill_tokens / (max_num_batched_tokens * queue_steps_at_full))
 * spare_i = clamp(1 - load_i, 0, 1)                 0 for a report older than max_report_age
 * w_i     = floor / n + (1 - floor) * spare_i / sum_j spare_j      (1 / n each when no worker has spare)
 * </pre>
 *
 * The floor keeps every worker on some traffic, so its load reports stay fresh and its prefix cache warm; weights
 * of one role sum to 1. Engine limits come from the workers' heartbeat capacities, or vLLM defaults if unknown.
 */
public final class SpareCapacityWeights {

    /** Each worker gets at least 10 % / n of its role's traffic. */
    public static final double DEFAULT_FLOOR = 0.1;
    /** Three missed 1 s load reports and more: treat the worker as having no known spare capacity. */
    public static final Duration DEFAULT_MAX_REPORT_AGE = Duration.ofSeconds(3);
    /** A prefill queue eight full steps deep counts as a fully loaded worker. */
    public static final int DEFAULT_QUEUE_STEPS_AT_FULL = 8;

    /**
     * @param floor            share of a role's traffic spread evenly regardless of load, in [0, 1]
     * @param maxReportAge     reports older than this count as no spare capacity
     * @param queueStepsAtFull full prefill steps of queued tokens that count as fully loaded
     */
    public record Params(double floor, Duration maxReportAge, int queueStepsAtFull) {

        public static final Params DEFAULTS = new Params(DEFAULT_FLOOR, DEFAULT_MAX_REPORT_AGE,
                DEFAULT_QUEUE_STEPS_AT_FULL);

        public Params {
            if (!(floor >= 0 && floor <= 1)) {
                throw new IllegalArgumentException("weights.floor must be in [0, 1], was " + floor);
            }
            if (maxReportAge == null || maxReportAge.isNegative()) {
                throw new IllegalArgumentException("weights.max_report_age must be zero or positive, was "
                        + maxReportAge);
            }
            if (queueStepsAtFull < 1) {
                throw new IllegalArgumentException("weights.queue_steps_at_full must be at least 1, was "
                        + queueStepsAtFull);
            }
        }
    }

    private final Params params;

    public SpareCapacityWeights() {
        this(Params.DEFAULTS);
    }

    public SpareCapacityWeights(Params params) {
        this.params = params;
    }

    /**
     * Weights by worker id, sorted by id.
     *
     * @param loads      load reports; the newest per worker is used
     * @param capacities engine limits by worker id from heartbeats; missing ones take vLLM defaults
     * @param nowMs      the caller's clock, to age reports
     */
    public Map<String, Double> weights(Collection<WorkerLoad> loads, Map<String, WorkerCapacity> capacities,
                                       long nowMs) {
        Map<String, WorkerLoad> latest = new HashMap<>();
        for (WorkerLoad load : loads) {
            latest.merge(load.workerId(), load, (a, b) -> b.timestampMs() >= a.timestampMs() ? b : a);
        }
        Map<WorkerRole, List<WorkerLoad>> byRole = new EnumMap<>(WorkerRole.class);
        for (WorkerLoad load : latest.values()) {
            byRole.computeIfAbsent(load.role(), r -> new ArrayList<>()).add(load);
        }
        Map<String, Double> weights = new TreeMap<>();
        for (List<WorkerLoad> role : byRole.values()) {
            double[] spare = new double[role.size()];
            double sum = 0;
            for (int i = 0; i < spare.length; i++) {
                spare[i] = spare(role.get(i), capacities.get(role.get(i).workerId()), nowMs);
                sum += spare[i];
            }
            int n = spare.length;
            for (int i = 0; i < n; i++) {
                double w = sum > 0 ? params.floor() / n + (1 - params.floor()) * spare[i] / sum : 1.0 / n;
                weights.put(role.get(i).workerId(), w);
            }
        }
        return weights;
    }

    /** 1 - load, in [0, 1]; 0 for a stale report. */
    double spare(WorkerLoad load, WorkerCapacity capacity, long nowMs) {
        if (nowMs - load.timestampMs() > params.maxReportAge().toMillis()) {
            return 0;
        }
        int seqs = capacity != null ? capacity.maxNumSeqs() : EngineConfig.DEFAULT_MAX_NUM_SEQS;
        int batched = capacity != null ? capacity.maxNumBatchedTokens() : EngineConfig.DEFAULT_MAX_NUM_BATCHED_TOKENS;
        double kv = load.kvBlocksTotal() > 0 ? load.kvBlocksUsed() / (double) load.kvBlocksTotal() : 0;
        double slots = (load.runningRequests() + load.waitingRequests()) / (double) Math.max(1, seqs);
        double queue = load.waitingPrefillTokens() / ((double) Math.max(1, batched) * params.queueStepsAtFull());
        double busy = Math.max(kv, Math.max(slots, queue));
        return Math.max(0, Math.min(1, 1 - busy));
    }
}
