package dev.equilibria.simulator.workload;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Open-loop arrivals at {@code rate} requests/s: Poisson (exponential gaps, CV 1) or gamma-distributed gaps with
 * shape {@code k} (CV = 1/sqrt(k); k < 1 is burstier than Poisson). Prompts draw a shared prefix with probability
 * {@code sharingRatio} of their length from {@code prefixes} system prompts.
 */
public final class SyntheticArrivals implements OpenLoopWorkload {

    private final double rate;
    private final double gammaShape;
    private final int requests;
    private final int promptTokens;
    private final int outputTokens;
    private final double sharingRatio;
    private final int prefixes;
    private final long seed;

    /**
     * @param gammaShape 1 for Poisson arrivals; smaller for bursts
     */
    public SyntheticArrivals(double rate, double gammaShape, int requests, int promptTokens, int outputTokens,
                             double sharingRatio, int prefixes, long seed) {
        if (!(rate > 0) || !(gammaShape > 0) || requests < 1 || promptTokens < 1 || outputTokens < 1) {
            throw new IllegalArgumentException("rate, gamma shape, requests and token counts must be positive");
        }
        this.rate = rate;
        this.gammaShape = gammaShape;
        this.requests = requests;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        this.sharingRatio = sharingRatio;
        this.prefixes = Math.max(1, prefixes);
        this.seed = seed;
    }

    @Override
    public Iterator<SimRequest> requests() {
        SplittableRandom random = new SplittableRandom(seed);
        TokenChunks chunks = new TokenChunks(promptTokens, seed);
        return new Iterator<>() {
            private int next;
            private double timeSeconds;

            @Override
            public boolean hasNext() {
                return next < requests;
            }

            @Override
            public SimRequest next() {
                timeSeconds += gamma(random, gammaShape) / (gammaShape * rate);
                int shared = (int) Math.floor(promptTokens * sharingRatio);
                int[] prompt = new int[promptTokens];
                chunks.fill(random.nextInt(prefixes), prompt, 0, shared);
                chunks.fill(1_000_000L + next, prompt, shared, promptTokens - shared);
                return new SimRequest("syn-" + next++, Math.round(timeSeconds * 1e9), prompt, outputTokens);
            }
        };
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang, with the boost for shape < 1. */
    static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double normal(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public String describe() {
        return (gammaShape == 1 ? "poisson" : "gamma(k=" + gammaShape + ")") + " arrivals at " + rate + " req/s, "
                + requests + " requests, " + promptTokens + " prompt / " + outputTokens + " output tokens, sharing "
                + sharingRatio;
    }
}
