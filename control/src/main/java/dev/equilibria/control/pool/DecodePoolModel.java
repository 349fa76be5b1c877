package dev.equilibria.control.pool;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.engine.EngineConfig;
import java.util.Objects;

/**
 * Inter-token latency of a decode pool with continuous batching.
 *
 * <pre>
 * n     = max(1, mean_output - 1)                         tokens made on the decode worker (prefill samples the first)
 * k     = mean_input + n / 2                              KV tokens a sequence attends over, averaged over its life
 * cap   = min(max_num_seqs, floor(num_blocks / (k / block_size + 0.5)))    sequences a worker can hold
 * r     = lambda * n / G_D                                decode tokens per second per worker
 * rho   = r * step(cap) / cap                             demand over full-batch throughput; infinite ITL at >= 1
 * b     = r * step(b)                                     Little's law; smallest fixed point, found by iteration
 * Wq    = rho_s^(sqrt(2(c+1)) - 1) / (c (1 - rho_s)) * (n * step(b)) * (1 + cv^2) / 2,  c = cap, rho_s = b / cap
 * ITL   = step(b) + (handoff + Wq) / n
 * </pre>
 *
 * The KV limit counts half a block of fragmentation per sequence and no prefix sharing, so it is conservative.
 * Output lengths are taken as exponential ({@link #OUTPUT_LENGTH_SCV} = 1) for the slot-wait term.
 */
public final class DecodePoolModel implements PoolModel {

    /** Squared coefficient of variation of output length; chat outputs are roughly exponential. */
    public static final double OUTPUT_LENGTH_SCV = 1.0;
    private static final int MAX_ITERATIONS = 200;
    private static final double TOLERANCE = 1e-9;

    private final EngineConfig engine;
    private final StepTimes steps;
    private final HandoffModel handoff;

    public DecodePoolModel(WorkerProfile profile, HandoffModel handoff) {
        this.engine = profile.engine();
        this.steps = new StepTimes(profile);
        this.handoff = Objects.requireNonNull(handoff, "handoff");
    }

    /** Sequences one worker can hold for requests like {@code workload}'s: batch slots or KV blocks. */
    public int batchCap(Workload workload) {
        double kvTokens = kvTokensPerSeq(workload);
        double blocksPerSeq = kvTokens / engine.blockSize() + 0.5;
        return (int) Math.min(engine.maxNumSeqs(), Math.floor(engine.numBlocks() / blocksPerSeq));
    }

    /** Requests per second {@code workers} workers can take before decode saturates. */
    public double maxArrivalRate(Workload workload, double workers) {
        int cap = batchCap(workload);
        if (cap < 1) {
            return 0;
        }
        double perWorkerTokens = cap / steps.decodeSeconds(cap, kvTokensPerSeq(workload));
        return workers * perWorkerTokens / decodeTokens(workload);
    }

    @Override
    public DecodeEstimate estimate(Workload workload, double workers) {
        double n = decodeTokens(workload);
        double kv = kvTokensPerSeq(workload);
        double handoffSeconds = handoff.seconds(workload.meanInputTokens());
        int cap = batchCap(workload);
        double perWorkerRate = workers > 0 ? workload.arrivalRate() * n / workers : Double.POSITIVE_INFINITY;
        double rho = cap >= 1 ? perWorkerRate * steps.decodeSeconds(cap, kv) / cap : Double.POSITIVE_INFINITY;
        if (!(rho < 1)) {
            double fullStep = cap >= 1 ? steps.decodeSeconds(cap, kv) : Double.POSITIVE_INFINITY;
            return new DecodeEstimate(Double.POSITIVE_INFINITY, fullStep, handoffSeconds, Double.POSITIVE_INFINITY, 1,
                    Math.max(0, cap), Math.max(0, cap), rho, n);
        }
        double batch = concurrency(perWorkerRate, kv, cap);
        double step = steps.decodeSeconds(batch, kv);
        double slotUtilisation = batch / cap;
        double waitProbability = Math.pow(slotUtilisation, Math.sqrt(2.0 * (cap + 1)) - 1);
        double wait = waitProbability / (cap * (1 - slotUtilisation)) * (n * step) * (1 + OUTPUT_LENGTH_SCV) / 2;
        double itl = step + (handoffSeconds + wait) / n;
        return new DecodeEstimate(itl, step, handoffSeconds, wait, waitProbability, batch, cap, rho, n);
    }

    /**
     * Smallest b with b = rate * step(b). Iterating from zero climbs monotonically to it because step() increases
     * with b; rho < 1 guarantees it lies below cap. Bisection finishes the job if the climb is slow (near tangency).
     */
    private double concurrency(double rate, double kv, int cap) {
        double b = 0;
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            double next = rate * steps.decodeSeconds(b, kv);
            if (Math.abs(next - b) <= TOLERANCE * Math.max(1, b)) {
                return next;
            }
            b = next;
        }
        double lo = b;
        double hi = cap;
        for (int i = 0; i < 100 && hi - lo > TOLERANCE * Math.max(1, lo); i++) {
            double mid = (lo + hi) / 2;
            if (rate * steps.decodeSeconds(mid, kv) > mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static double decodeTokens(Workload workload) {
        return Math.max(1, workload.meanOutputTokens() - 1);
    }

    private static double kvTokensPerSeq(Workload workload) {
        return workload.meanInputTokens() + decodeTokens(workload) / 2;
    }
}
