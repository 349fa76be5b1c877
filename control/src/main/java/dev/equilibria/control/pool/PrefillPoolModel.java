package dev.equilibria.control.pool;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.engine.EngineConfig;

/**
 * TTFT of a prefill pool whose workers batch prompts up to {@code max_num_batched_tokens} per step.
 *
 * <pre>
 * u     = max(1, mean_input * (1 - prefix_hit))                   uncached tokens per request
 * n     = min(max_num_batched_tokens, max_num_seqs * u)           tokens in a full step
 * C     = n / step(n)                                             one worker's tokens/s at a full batch
 * rho   = lambda * u / (G_P * C)                                  load spread evenly over G_P workers
 * S     = sum over the request's chunks c of step(c + rho * (n - c))   its own steps, filled by others' work
 * W     = rho * (u / C) / (2 * (1 - rho))                         M/D/1 (Pollaczek-Khinchine) wait on token work
 * TTFT  = S + W,  infinite when rho >= 1
 * </pre>
 *
 * Batching enters twice: the capacity C is the full-batch throughput, and a request's own step grows with load.
 * The first token is sampled at the end of prefill, so TTFT ends there; the KV handoff is charged to decode.
 */
public final class PrefillPoolModel implements PoolModel {

    private final EngineConfig engine;
    private final StepTimes steps;

    public PrefillPoolModel(WorkerProfile profile) {
        this.engine = profile.engine();
        this.steps = new StepTimes(profile);
    }

    /** One worker's uncached-token throughput at a full batch of requests like {@code workload}'s. */
    public double workerTokensPerSecond(Workload workload) {
        double u = uncachedTokens(workload);
        double full = fullStepTokens(u);
        return full / steps.prefillSeconds(full, u);
    }

    /** Requests per second {@code workers} workers can take before the queue grows without bound. */
    public double maxArrivalRate(Workload workload, double workers) {
        return workers * workerTokensPerSecond(workload) / uncachedTokens(workload);
    }

    @Override
    public PrefillEstimate estimate(Workload workload, double workers) {
        double u = uncachedTokens(workload);
        double full = fullStepTokens(u);
        double capacity = full / steps.prefillSeconds(full, u);
        double rho = workers > 0 ? workload.arrivalRate() * u / (workers * capacity) : Double.POSITIVE_INFINITY;
        double service = serviceSeconds(u, full, Math.min(1, rho));
        if (!(rho < 1)) {
            return new PrefillEstimate(Double.POSITIVE_INFINITY, service, Double.POSITIVE_INFINITY, rho, capacity);
        }
        double wait = rho * (u / capacity) / (2 * (1 - rho));
        return new PrefillEstimate(service + wait, service, wait, rho, capacity);
    }

    private double serviceSeconds(double u, double full, double rho) {
        int chunk = engine.maxNumBatchedTokens();
        long wholeChunks = (long) Math.floor(u / chunk);
        double rest = u - wholeChunks * (double) chunk;
        double seconds = wholeChunks * steps.prefillSeconds(chunk, u);
        if (rest > 0) {
            seconds += steps.prefillSeconds(rest + rho * Math.max(0, full - rest), u);
        }
        return seconds;
    }

    private double fullStepTokens(double u) {
        return Math.min(engine.maxNumBatchedTokens(), engine.maxNumSeqs() * u);
    }

    /** At least one token: an engine recomputes the last prompt token even on a full prefix hit. */
    private static double uncachedTokens(Workload workload) {
        return Math.max(1, workload.uncachedInputTokens());
    }
}
