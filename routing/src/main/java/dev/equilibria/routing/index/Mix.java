package dev.equilibria.routing.index;

/** Spreads a 64-bit key over a power-of-two table; block hashes are well mixed, but keys from tests may not be. */
final class Mix {

    private Mix() {
    }

    static int index(long key, int mask) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
