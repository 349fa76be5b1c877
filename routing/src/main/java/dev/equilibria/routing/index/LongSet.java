package dev.equilibria.routing.index;

import java.util.function.LongConsumer;

/**
 * An open-addressing set of longs (linear probing, deletion by backward shift, no tombstones), for one worker's
 * cached block hashes. A boxed {@code HashSet<Long>} costs an object per block and a pointer chase per lookup;
 * this keeps the index's update path allocation-free. Not thread-safe.
 */
final class LongSet {

    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private boolean hasZero;
    private int size;
    private int mask;

    LongSet() {
        keys = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    boolean contains(long key) {
        if (key == 0) {
            return hasZero;
        }
        for (int i = Mix.index(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    /** @return true when the key was not there before */
    boolean add(long key) {
        if (key == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int i = Mix.index(key, mask);
        for (; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return false;
            }
            if (k == 0) {
                break;
            }
        }
        keys[i] = key;
        if (++size * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        return true;
    }

    /** @return true when the key was there */
    boolean remove(long key) {
        if (key == 0) {
            boolean removed = hasZero;
            hasZero = false;
            return removed;
        }
        for (int i = Mix.index(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == 0) {
                return false;
            }
            if (k == key) {
                shiftBack(i);
                size--;
                return true;
            }
        }
    }

    void forEach(LongConsumer action) {
        if (hasZero) {
            action.accept(0);
        }
        for (long k : keys) {
            if (k != 0) {
                action.accept(k);
            }
        }
    }

    void clear() {
        keys = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
        size = 0;
        hasZero = false;
    }

    /** Closes the hole at {@code hole} by moving back later entries of the same probe run. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == 0) {
                keys[hole] = 0;
                return;
            }
            int home = Mix.index(k, mask);
            // k may fill the hole unless its home lies cyclically in (hole, i]
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = k;
                hole = i;
            }
        }
    }

    private void resize(int capacity) {
        long[] old = keys;
        keys = new long[capacity];
        mask = capacity - 1;
        for (long k : old) {
            if (k != 0) {
                int i = Mix.index(k, mask);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
            }
        }
    }
}
