package dev.equilibria.routing.index;

/**
 * A prompt's chained block hashes, read front to back. A longest-prefix query stops at the first block no worker
 * caches, so an implementation may compute hashes only as far as they are read (see
 * {@link dev.equilibria.routing.orchestration.RouteRequest}).
 */
public interface PrefixHashes {

    /** Number of full blocks. */
    int length();

    /** Hash of block {@code i}, {@code 0 <= i < length()}. */
    long hash(int i);

    /** Hashes already in an array. */
    static PrefixHashes of(long[] hashes) {
        return new PrefixHashes() {
            @Override
            public int length() {
                return hashes.length;
            }

            @Override
            public long hash(int i) {
                return hashes[i];
            }
        };
    }
}
