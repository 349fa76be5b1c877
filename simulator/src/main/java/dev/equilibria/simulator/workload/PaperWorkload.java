package dev.equilibria.simulator.workload;

import java.util.SplittableRandom;

/**
 * The paper's workload: closed-loop concurrency C over 5 prompt templates of 128 tokens each and a fixed output
 * length. Requests using the same template share its whole prompt, so cache affinity matters.
 */
public final class PaperWorkload implements ClosedLoopWorkload {

    public static final int DEFAULT_TEMPLATES = 5;
    public static final int DEFAULT_PROMPT_TOKENS = 128;
    public static final int DEFAULT_OUTPUT_TOKENS = 128;

    private final int concurrency;
    private final int[][] templates;
    private final OutputLength output;
    private final SplittableRandom random;
    private long issued;

    public PaperWorkload(int concurrency, int templates, int promptTokens, int outputTokens, long seed) {
        this(concurrency, templates, promptTokens, OutputLength.fixed(outputTokens), seed);
    }

    public PaperWorkload(int concurrency, int templates, int promptTokens, OutputLength output, long seed) {
        if (concurrency < 1 || templates < 1 || promptTokens < 1) {
            throw new IllegalArgumentException("concurrency, templates and prompt tokens must be positive");
        }
        this.concurrency = concurrency;
        this.output = output;
        this.random = new SplittableRandom(seed);
        TokenChunks chunks = new TokenChunks(promptTokens, seed);
        this.templates = new int[templates][];
        for (int t = 0; t < templates; t++) {
            this.templates[t] = chunks.prompt(new long[] {t}, promptTokens);
        }
    }

    public static PaperWorkload withConcurrency(int concurrency, long seed) {
        return new PaperWorkload(concurrency, DEFAULT_TEMPLATES, DEFAULT_PROMPT_TOKENS, DEFAULT_OUTPUT_TOKENS, seed);
    }

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public SimRequest next(int client, long nowNanos) {
        int[] template = templates[random.nextInt(templates.length)];
        return new SimRequest("c" + client + "-" + issued++, nowNanos, template, output.draw(random));
    }

    @Override
    public String describe() {
        return "paper: C=" + concurrency + ", " + templates.length + " templates x " + templates[0].length
                + " tokens, " + output.describe();
    }
}
