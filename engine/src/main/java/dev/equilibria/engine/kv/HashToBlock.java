package dev.equilibria.engine.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * Block hash to cached block, open addressing on primitive longs: the prefix cache is read on every admission and
 * written on every filled block, so it must not box or chase nodes.
 */
final class HashToBlock {

    private static final float LOAD = 0.5f;

    private long[] keys;
    private Block[] values;
    private int size;
    private int mask;

    HashToBlock(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) (expected / LOAD)) - 1) << 1;
        keys = new long[capacity];
        values = new Block[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    Block get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Block value = values[i];
            if (value == null) {
                return null;
            }
            if (keys[i] == key) {
                return value;
            }
        }
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    void put(long key, Block value) {
        if (size + 1 > keys.length * LOAD) {
            resize();
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    void remove(long key) {
        int i = slot(key);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        // backward-shift deletion keeps every remaining key reachable from its home slot
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    List<Long> keys() {
        List<Long> out = new ArrayList<>(size);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                out.add(keys[i]);
            }
        }
        return out;
    }

    private int slot(long key) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void resize() {
        long[] oldKeys = keys;
        Block[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Block[oldValues.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
