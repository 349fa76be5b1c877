package dev.equilibria.engine.sampling;

import java.util.random.RandomGenerator;

/**
 * Samples uniformly from a fixed vocabulary with an injected random source. The default vocabulary is a set of
 * common English words as cl100k_base token ids, so a simulated completion reads as words, not byte soup.
 */
public final class VocabularySampler implements TokenSampler {

    /** " the", " of", " and", ... in cl100k_base: each id decodes to one space-prefixed word. */
    public static final int[] COMMON_WORDS = {
            279, 315, 323, 311, 264, 304, 374, 430, 369, 389, 449, 439, 433, 555, 520, 505, 6636, 9436, 17322, 1646,
            4037, 12128, 9457, 2865, 7309, 1715, 40370, 5044, 2565, 7325, 23501, 892, 3430, 1887, 3544, 5043, 828,
            4365, 13788, 6324, 6666, 907, 1401, 1855, 1828, 1176, 810, 56411, 7463};

    private final int[] vocabulary;
    private final RandomGenerator random;

    public VocabularySampler(int[] vocabulary, RandomGenerator random) {
        if (vocabulary.length == 0) {
            throw new IllegalArgumentException("vocabulary must not be empty");
        }
        this.vocabulary = vocabulary.clone();
        this.random = random;
    }

    public static VocabularySampler commonWords(RandomGenerator random) {
        return new VocabularySampler(COMMON_WORDS, random);
    }

    @Override
    public int next() {
        return vocabulary[random.nextInt(vocabulary.length)];
    }
}
