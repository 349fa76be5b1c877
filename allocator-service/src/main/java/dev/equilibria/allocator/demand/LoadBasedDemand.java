package dev.equilibria.allocator.demand;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.PrefillPoolModel;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.BatchShape;
import dev.equilibria.engine.timing.TimingModel;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerLoad;
import java.util.Collection;
import java.util.Objects;

/**
 * Demand read off the workers' load reports, for when the gateway's decision log is silent (no gateway publishes it,
 * or it is lagging). It turns queue state into the arrival rate a Poisson source would need to cause it:
 *
 * <pre>
 * L   = mean over prefill workers of (running + waiting) requests       requests in the prefill system per worker
 * u   = max(1, mean waiting_prefill_tokens / L)                          uncached tokens per request
 * h   = mean prefix_cache_hit_rate of the prefill workers                (capped at 0.99)
 * rho = (1 + L) - sqrt(1 + L^2)                                          M/D/1 inverted: L = rho + rho^2 / (2 (1 - rho))
 * C   = one worker's uncached tokens/s at a full batch (PrefillPoolModel)
 * lambda = rho * G_P * C / u                                              requests per second, GPU time
 * mean input  = u / (1 - h)
 * mean output = 1 + sum over decode workers of b / step(b) / lambda       b = running sequences, step from the timing model
 * </pre>
 *
 * Load reports are snapshots, so the result is noisy from one report to the next; the forecaster smooths it. It
 * reads GPU time directly (queue lengths do not depend on the workers' time scale). A saturated closed loop reads
 * as utilisation near 1, which is what it is. Stateless, so thread-safe.
 */
public final class LoadBasedDemand {

    /** Hit rates above this would make the implied prompt length explode; a real fleet never sustains it. */
    static final double MAX_HIT_RATE = 0.99;

    private final PrefillPoolModel prefill;
    private final TimingModel timing;
    private final EngineConfig engine;

    public LoadBasedDemand(PrefillPoolModel prefill, TimingModel timing, EngineConfig engine) {
        this.prefill = Objects.requireNonNull(prefill, "prefill");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * @param requestsInPrefill requests queued or prefilling on the prefill workers, summed (for the forecaster: zero
     *                          means the lengths in {@code workload} carry no news)
     */
    public record Estimate(Workload workload, double prefillUtilisation, double requestsInPrefill) {
    }

    /**
     * @param loads            fresh load reports, one per worker, of any role (other roles are skipped)
     * @param lastOutputTokens output length to assume when decode shows no activity to measure it
     * @return the estimate, with a zero rate when the prefill workers are idle
     */
    public Estimate estimate(Collection<WorkerLoad> loads, double lastOutputTokens) {
        int prefillWorkers = 0;
        double requests = 0;
        double tokens = 0;
        double hits = 0;
        double decodeTokensPerSecond = 0;
        for (WorkerLoad load : loads) {
            if (load.role() == WorkerRole.PREFILL) {
                prefillWorkers++;
                requests += Math.max(0, load.runningRequests()) + Math.max(0, load.waitingRequests());
                tokens += Math.max(0, load.waitingPrefillTokens());
                hits += clamp(load.prefixCacheHitRate(), 0, MAX_HIT_RATE);
            } else if (load.role() == WorkerRole.DECODE) {
                decodeTokensPerSecond += decodeTokensPerSecond(load);
            }
        }
        double output = Math.max(1, lastOutputTokens);
        if (prefillWorkers == 0 || requests <= 0) {
            return new Estimate(new Workload(0, 0, 0, output, 0), 0, 0);
        }
        double perWorker = requests / prefillWorkers;
        double uncached = Math.max(1, tokens / requests);
        double hitRate = hits / prefillWorkers;
        double meanInput = uncached / (1 - hitRate);
        double rho = utilisationFromQueue(perWorker);
        Workload shape = new Workload(0, meanInput, meanInput, output, hitRate);
        double rate = rho * prefillWorkers * prefill.workerTokensPerSecond(shape) / uncached;
        if (decodeTokensPerSecond > 0 && rate > 0) {
            output = 1 + decodeTokensPerSecond / rate;
        }
        return new Estimate(new Workload(rate, meanInput, meanInput, output, hitRate), rho, requests);
    }

    /** M/D/1 mean number in system {@code L = rho + rho^2 / (2 (1 - rho))}, solved for rho in [0, 1). */
    static double utilisationFromQueue(double requestsInSystem) {
        double l = Math.max(0, requestsInSystem);
        return (1 + l) - Math.sqrt(1 + l * l);
    }

    private double decodeTokensPerSecond(WorkerLoad load) {
        int batch = Math.max(0, load.runningRequests());
        if (batch == 0) {
            return 0;
        }
        long kvTokens = (long) Math.max(0, load.kvBlocksUsed()) * engine.blockSize();
        double step = timing.stepNanos(new BatchShape(0, 0, batch, kvTokens)) / 1e9;
        return step > 0 ? batch / step : 0;
    }

    private static double clamp(double value, double lo, double hi) {
        return Double.isNaN(value) ? lo : Math.max(lo, Math.min(hi, value));
    }
}
