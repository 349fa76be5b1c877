package dev.equilibria.simulator.workload;

import java.util.random.RandomGenerator;

/**
 * How many tokens each request of a closed loop generates: {@code tokens} every time (the paper's fixed length), or
 * uniform in {@code [tokens - spread, tokens + spread]}. A fixed length makes sequences admitted together finish
 * together, so the loop's clients come back in waves; a spread breaks the waves up at the same mean.
 *
 * @param tokens mean output length, at least 1
 * @param spread half-width of the uniform range, from 0 to {@code tokens - 1}
 */
public record OutputLength(int tokens, int spread) {

    public OutputLength {
        if (tokens < 1) {
            throw new IllegalArgumentException("output tokens must be positive, got " + tokens);
        }
        if (spread < 0 || spread >= tokens) {
            throw new IllegalArgumentException("output spread must be from 0 to " + (tokens - 1) + ", got " + spread);
        }
    }

    public static OutputLength fixed(int tokens) {
        return new OutputLength(tokens, 0);
    }

    /** The next request's output length; draws nothing when fixed, so a fixed run's random stream is unchanged. */
    public int draw(RandomGenerator random) {
        return spread == 0 ? tokens : tokens - spread + random.nextInt(2 * spread + 1);
    }

    public String describe() {
        return spread == 0 ? tokens + " output tokens"
                : (tokens - spread) + "-" + (tokens + spread) + " output tokens (uniform, mean " + tokens + ")";
    }
}
