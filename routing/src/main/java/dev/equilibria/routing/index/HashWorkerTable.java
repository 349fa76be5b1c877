package dev.equilibria.routing.index;

/**
 * Block hash to the set of worker slots caching it, as one open-addressing table whose values are inline bitsets of
 * {@code words} longs (64 workers per word; the table widens itself when a slot beyond them appears). A lookup is
 * one probe and a few word reads, which is what makes a longest-prefix query over 64 workers cheap. Not thread-safe.
 */
final class HashWorkerTable {

    private static final int MIN_CAPACITY = 64;

    private long[] keys;
    private long[] bits;
    private int words = 1;
    private int size;
    private int mask;
    private boolean hasZero;
    private long[] zeroBits = new long[1];

    HashWorkerTable() {
        keys = new long[MIN_CAPACITY];
        bits = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
    }

    /** Distinct hashes cached by at least one worker. */
    int size() {
        return size + (hasZero ? 1 : 0);
    }

    int words() {
        return words;
    }

    void add(long hash, int slot) {
        ensureWords(slot / 64 + 1);
        int w = slot >>> 6;
        long bit = 1L << (slot & 63);
        if (hash == 0) {
            hasZero = true;
            zeroBits[w] |= bit;
            return;
        }
        int i = Mix.index(hash, mask);
        for (; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == hash) {
                bits[i * words + w] |= bit;
                return;
            }
            if (k == 0) {
                break;
            }
        }
        keys[i] = hash;
        bits[i * words + w] = bit;
        if (++size * 4 > keys.length * 3) {
            resize(keys.length * 2, words);
        }
    }

    void remove(long hash, int slot) {
        int w = slot >>> 6;
        if (w >= words) {
            return;
        }
        long bit = 1L << (slot & 63);
        if (hash == 0) {
            zeroBits[w] &= ~bit;
            hasZero = !allZero(zeroBits, 0);
            return;
        }
        for (int i = Mix.index(hash, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == 0) {
                return;
            }
            if (k == hash) {
                bits[i * words + w] &= ~bit;
                if (allZero(bits, i * words)) {
                    shiftBack(i);
                    size--;
                }
                return;
            }
        }
    }

    /**
     * Longest cached prefix of {@code hashes} for every slot in {@code active}: {@code out[slot]} gets the number of
     * leading hashes the slot caches. Slots not in {@code active} are left alone; {@code active} is consumed.
     */
    void prefixMatch(PrefixHashes hashes, long[] active, int[] out) {
        int n = hashes.length();
        int activeWords = Math.min(active.length, words);
        for (int w = activeWords; w < active.length; w++) {
            dropAll(active, w, 0, out); // slots the table has never seen cache nothing
        }
        boolean any = anyActive(active, activeWords);
        int i = 0;
        for (; i < n && any; i++) {
            int entry = find(hashes.hash(i));
            any = false;
            for (int w = 0; w < activeWords; w++) {
                long a = active[w];
                if (a == 0) {
                    continue;
                }
                long present = entry == -1 ? 0 : entry == -2 ? zeroBits[w] : bits[entry * words + w];
                long next = a & present;
                long dropped = a & ~next;
                while (dropped != 0) {
                    out[(w << 6) + Long.numberOfTrailingZeros(dropped)] = i;
                    dropped &= dropped - 1;
                }
                active[w] = next;
                any |= next != 0;
            }
        }
        for (int w = 0; w < activeWords; w++) {
            dropAll(active, w, i, out);
        }
    }

    /** Entry index of {@code hash}: -1 when absent, -2 for the zero key. */
    private int find(long hash) {
        if (hash == 0) {
            return hasZero ? -2 : -1;
        }
        for (int i = Mix.index(hash, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == hash) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    private static void dropAll(long[] active, int w, int overlap, int[] out) {
        long a = active[w];
        while (a != 0) {
            out[(w << 6) + Long.numberOfTrailingZeros(a)] = overlap;
            a &= a - 1;
        }
        active[w] = 0;
    }

    private static boolean anyActive(long[] active, int words) {
        for (int w = 0; w < words; w++) {
            if (active[w] != 0) {
                return true;
            }
        }
        return false;
    }

    private boolean allZero(long[] array, int from) {
        for (int w = 0; w < words; w++) {
            if (array[from + w] != 0) {
                return false;
            }
        }
        return true;
    }

    private void ensureWords(int needed) {
        if (needed > words) {
            resize(keys.length, needed);
            long[] z = new long[needed];
            System.arraycopy(zeroBits, 0, z, 0, zeroBits.length);
            zeroBits = z;
        }
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == 0) {
                keys[hole] = 0;
                clearBits(hole);
                return;
            }
            int home = Mix.index(k, mask);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = k;
                System.arraycopy(bits, i * words, bits, hole * words, words);
                hole = i;
            }
        }
    }

    private void clearBits(int entry) {
        for (int w = 0; w < words; w++) {
            bits[entry * words + w] = 0;
        }
    }

    private void resize(int capacity, int newWords) {
        long[] oldKeys = keys;
        long[] oldBits = bits;
        int oldWords = words;
        keys = new long[capacity];
        bits = new long[capacity * newWords];
        mask = capacity - 1;
        words = newWords;
        for (int e = 0; e < oldKeys.length; e++) {
            long k = oldKeys[e];
            if (k != 0) {
                int i = Mix.index(k, mask);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                System.arraycopy(oldBits, e * oldWords, bits, i * newWords, oldWords);
            }
        }
    }
}
