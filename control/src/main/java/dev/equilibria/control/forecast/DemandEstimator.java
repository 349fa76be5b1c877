package dev.equilibria.control.forecast;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Folds the gateway's decision log into windowed demand: arrival rate, prompt and output lengths, prefix-hit rate.
 * Time is the events' own timestamps and the {@code nowMs} a caller passes, never the wall clock.
 *
 * <p>A disaggregated request logs a prefill leg and a decode leg; only prefill and aggregated legs count as arrivals.
 * Output length comes from reported completions when the window has any, otherwise from {@code max_tokens}, an upper
 * bound, so the decode pool is sized conservatively until completions flow. Cached tokens are the chosen worker's
 * overlap blocks times the block size, capped at the prompt. Samples older than the window at arrival are dropped;
 * eviction walks from the oldest end, so it assumes roughly ordered timestamps (several gateways are at most a few
 * hundred ms apart). A decision without {@code max_tokens} (zero) does not count toward the output estimate.
 */
public final class DemandEstimator {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** Bounds memory at high rates: 200k samples is about 3,300 req/s over a minute. */
    public static final int DEFAULT_MAX_SAMPLES = 200_000;
    /** The rate is never computed over less than this, so the first request does not read as a huge rate. */
    static final long MIN_SPAN_MS = 1_000;

    /**
     * @param window     how far back a snapshot looks
     * @param blockSize  tokens per KV block, to turn overlap blocks into cached tokens ({@code block_size})
     * @param maxSamples samples kept; beyond this the oldest are dropped early
     */
    public record Params(Duration window, int blockSize, int maxSamples) {

        public static final Params DEFAULTS = new Params(DEFAULT_WINDOW, EngineConfig.DEFAULT_BLOCK_SIZE,
                DEFAULT_MAX_SAMPLES);

        public Params {
            if (window == null || window.toMillis() <= 0) {
                throw new IllegalArgumentException("demand.window must be positive, was " + window);
            }
            if (blockSize <= 0) {
                throw new IllegalArgumentException("demand.block_size must be positive, was " + blockSize);
            }
            if (maxSamples <= 0) {
                throw new IllegalArgumentException("demand.max_samples must be positive, was " + maxSamples);
            }
        }
    }

    private interface Sample {
        long timestampMs();
    }

    private record Arrival(long timestampMs, int promptTokens, int cachedTokens, int maxTokens) implements Sample {
    }

    private record Completion(long timestampMs, int outputTokens) implements Sample {
    }

    private final Params params;
    private final Deque<Arrival> arrivals = new ArrayDeque<>();
    private final Deque<Completion> completions = new ArrayDeque<>();
    private long firstSeenMs = Long.MIN_VALUE;
    private Workload lastLengths = new Workload(0, 0, 0, 0, 0);

    public DemandEstimator() {
        this(Params.DEFAULTS);
    }

    public DemandEstimator(Params params) {
        this.params = params;
    }

    /** Adds one logged routing decision; decode legs are ignored (the prefill leg counted the request). */
    public void onDecision(RoutingDecision decision) {
        if (decision.leg() == RoutingLeg.DECODE) {
            return;
        }
        int overlap = 0;
        for (CandidateCost c : decision.candidates()) {
            if (c.workerId().equals(decision.chosenWorker())) {
                overlap = c.overlapBlocks();
                break;
            }
        }
        int prompt = Math.max(0, decision.promptTokens());
        int cached = (int) Math.min(prompt, (long) overlap * params.blockSize());
        add(arrivals, new Arrival(decision.timestampMs(), prompt, cached, Math.max(0, decision.maxTokens())));
    }

    /** Adds the generated length of one finished request (first token included). */
    public void onCompletion(long timestampMs, int outputTokens) {
        add(completions, new Completion(timestampMs, Math.max(0, outputTokens)));
    }

    /** Demand over the window ending at {@code nowMs}. */
    public DemandSnapshot snapshot(long nowMs) {
        long windowMs = params.window().toMillis();
        long cutoff = nowMs - windowMs;
        if (!arrivals.isEmpty() && arrivals.peekLast().timestampMs() <= cutoff) {
            // the window is about to empty: remember what it held, so idle windows carry the last lengths
            lastLengths = lengths();
        }
        evict(arrivals, cutoff);
        evict(completions, cutoff);

        long span = firstSeenMs == Long.MIN_VALUE ? windowMs : Math.min(windowMs, nowMs - firstSeenMs);
        double rate = arrivals.size() / (Math.max(MIN_SPAN_MS, span) / 1000.0);
        if (!arrivals.isEmpty()) {
            lastLengths = lengths();
        } else if (!completions.isEmpty()) {
            lastLengths = new Workload(0, lastLengths.meanInputTokens(), lastLengths.p90InputTokens(),
                    meanCompletion(), lastLengths.prefixHitRate());
        }
        return new DemandSnapshot(nowMs, arrivals.size(), completions.size(), lastLengths.withArrivalRate(rate));
    }

    /** Lengths and hit rate of the arrivals held (at least one), with a zero rate. */
    private Workload lengths() {
        int[] prompts = new int[arrivals.size()];
        long promptSum = 0;
        long cachedSum = 0;
        long maxTokensSum = 0;
        int maxTokensCount = 0;
        int i = 0;
        for (Arrival a : arrivals) {
            prompts[i++] = a.promptTokens();
            promptSum += a.promptTokens();
            cachedSum += a.cachedTokens();
            if (a.maxTokens() > 0) {
                maxTokensSum += a.maxTokens();
                maxTokensCount++;
            }
        }
        Arrays.sort(prompts);
        double meanOutput = !completions.isEmpty() ? meanCompletion()
                : maxTokensCount > 0 ? maxTokensSum / (double) maxTokensCount
                : lastLengths.meanOutputTokens();
        return new Workload(0, promptSum / (double) prompts.length, percentile(prompts, 0.9), meanOutput,
                promptSum == 0 ? 0 : cachedSum / (double) promptSum);
    }

    private double meanCompletion() {
        long sum = 0;
        for (Completion c : completions) {
            sum += c.outputTokens();
        }
        return sum / (double) completions.size();
    }

    private <T extends Sample> void add(Deque<T> samples, T sample) {
        if (firstSeenMs == Long.MIN_VALUE) {
            firstSeenMs = sample.timestampMs();
        }
        samples.addLast(sample);
        if (samples.size() > params.maxSamples()) {
            samples.removeFirst();
        }
    }

    private static void evict(Deque<? extends Sample> samples, long cutoffMs) {
        while (!samples.isEmpty() && samples.peekFirst().timestampMs() <= cutoffMs) {
            samples.removeFirst();
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(int[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
