package dev.equilibria.allocator.demand;

import dev.equilibria.control.forecast.DemandEstimator;
import dev.equilibria.control.forecast.DemandSnapshot;
import dev.equilibria.control.forecast.MeasuredPrefixHits;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.WorkerLoad;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;

/**
 * What the fleet is asked to do, from three sources on Kafka, in GPU time (wall-clock rates divided by the workers'
 * time scale, wall-clock latencies multiplied by it):
 *
 * <ol>
 *   <li>the gateway's decision log ({@code equilibria.routing-decisions}): arrivals, prompt lengths, prefix hits,
 *       through {@link DemandEstimator};</li>
 *   <li>the gateway's request records ({@code equilibria.request-records}): output lengths, measured prefix-hit rate
 *       (it replaces the router's overlap guess when present, by {@link MeasuredPrefixHits}) and observed TTFT and
 *       ITL;</li>
 *   <li>the workers' load reports, through {@link LoadBasedDemand}, only while the decision log has nothing in the
 *       window and {@code demand.load-fallback} is on.</li>
 * </ol>
 *
 * Thread-safe: Kafka listener threads add, the decision loop reads.
 */
public final class DemandTracker {

    /** Where an observation's demand came from. */
    public enum Source {
        DECISION_LOG, WORKER_LOAD, NONE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the gateway measured over the window, in GPU time.
     *
     * @param requests      records in the window
     * @param ttftSeconds   mean time to first token; NaN without records
     * @param itlSeconds    mean inter-token latency; NaN without records that have one
     * @param prefixHitRate cached over prompt tokens; NaN without records
     */
    public record Measured(int requests, double ttftSeconds, double itlSeconds, double prefixHitRate) {
    }

    /**
     * @param snapshot           demand over the window, GPU time, for the forecaster
     * @param source             where the rate came from
     * @param prefillUtilisation the utilisation the load reports imply (NaN unless {@code source} is worker load)
     * @param measured           what the request records say
     */
    public record Observation(DemandSnapshot snapshot, Source source, double prefillUtilisation, Measured measured) {
    }

    private record RecordSample(long timestampMs, double ttftMs, double itlMs) {
    }

    private final DemandEstimator estimator;
    private final LoadBasedDemand loadBased;
    private final double timeScale;
    private final long windowMs;
    private final boolean loadFallback;
    private final Deque<RecordSample> records = new ArrayDeque<>();
    private final MeasuredPrefixHits prefixHits;
    private double lastOutputTokens = 1;

    /**
     * @param timeScale    the workers' time scale (GPU seconds per wall-clock second)
     * @param loadFallback estimate from load reports when the decision log is silent
     */
    public DemandTracker(DemandEstimator.Params params, LoadBasedDemand loadBased, double timeScale,
                         boolean loadFallback) {
        this.estimator = new DemandEstimator(params);
        this.loadBased = Objects.requireNonNull(loadBased, "loadBased");
        this.timeScale = timeScale;
        this.windowMs = params.window().toMillis();
        this.loadFallback = loadFallback;
        this.prefixHits = new MeasuredPrefixHits(params.window(), DemandEstimator.DEFAULT_MAX_SAMPLES);
    }

    public synchronized void onDecision(RoutingDecision decision) {
        estimator.onDecision(decision);
    }

    public synchronized void onRecord(RequestRecord record) {
        double e2e = record.e2eMs();
        long end = record.arrivalMs() + (Double.isFinite(e2e) && e2e > 0 ? Math.round(e2e) : 0);
        if (record.outputTokens() > 0) {
            estimator.onCompletion(end, record.outputTokens());
        }
        records.addLast(new RecordSample(end, record.ttftMs(), record.meanItlMs()));
        prefixHits.record(end, record.promptTokens(), record.cachedTokens());
        if (records.size() > DemandEstimator.DEFAULT_MAX_SAMPLES) {
            records.removeFirst();
        }
    }

    /** Demand over the window ending at {@code nowMs}; {@code loads} are the fresh load reports, one per worker. */
    public synchronized Observation observe(long nowMs, Collection<WorkerLoad> loads) {
        while (!records.isEmpty() && records.peekFirst().timestampMs() <= nowMs - windowMs) {
            records.removeFirst();
        }
        Measured measured = measured(prefixHits.hitRate(nowMs));
        DemandSnapshot logged = estimator.snapshot(nowMs);
        if (logged.requests() > 0 || !loadFallback) {
            Workload w = MeasuredPrefixHits.withMeasuredHitRate(logged.workload(), measured.prefixHitRate());
            Workload scaled = w.withArrivalRate(w.arrivalRate() / timeScale);
            if (logged.requests() > 0 || logged.completions() > 0) {
                lastOutputTokens = Math.max(1, scaled.meanOutputTokens());
            }
            Source source = logged.requests() > 0 ? Source.DECISION_LOG : Source.NONE;
            return new Observation(new DemandSnapshot(nowMs, logged.requests(), logged.completions(), scaled), source,
                    Double.NaN, measured);
        }
        if (logged.completions() > 0) {
            lastOutputTokens = Math.max(1, logged.workload().meanOutputTokens());
        }
        LoadBasedDemand.Estimate e = loadBased.estimate(loads, lastOutputTokens);
        if (e.requestsInPrefill() <= 0) {
            return new Observation(new DemandSnapshot(nowMs, 0, logged.completions(), e.workload()), Source.NONE,
                    e.prefillUtilisation(), measured);
        }
        Workload w = MeasuredPrefixHits.withMeasuredHitRate(e.workload(), measured.prefixHitRate());
        int requests = (int) Math.ceil(e.requestsInPrefill());
        return new Observation(new DemandSnapshot(nowMs, requests, logged.completions(), w), Source.WORKER_LOAD,
                e.prefillUtilisation(), measured);
    }

    private Measured measured(double prefixHitRate) {
        if (records.isEmpty()) {
            return new Measured(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double ttft = 0;
        int ttftCount = 0;
        double itl = 0;
        int itlCount = 0;
        for (RecordSample r : records) {
            if (Double.isFinite(r.ttftMs()) && r.ttftMs() >= 0) {
                ttft += r.ttftMs();
                ttftCount++;
            }
            if (Double.isFinite(r.itlMs()) && r.itlMs() >= 0) {
                itl += r.itlMs();
                itlCount++;
            }
        }
        double toGpuSeconds = timeScale / 1000.0;
        return new Measured(records.size(),
                ttftCount > 0 ? ttft / ttftCount * toGpuSeconds : Double.NaN,
                itlCount > 0 ? itl / itlCount * toGpuSeconds : Double.NaN,
                prefixHitRate);
    }

    public Duration window() {
        return Duration.ofMillis(windowMs);
    }
}
