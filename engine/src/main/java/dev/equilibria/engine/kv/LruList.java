package dev.equilibria.engine.kv;

/**
 * Unreferenced cached blocks, least recently used first, linked through the blocks themselves so that taking one
 * back (a prefix hit) or evicting the oldest costs O(1) with no allocation.
 */
final class LruList {

    private Block head;
    private Block tail;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void addLast(Block block) {
        block.lruPrev = tail;
        block.lruNext = null;
        if (tail == null) {
            head = block;
        } else {
            tail.lruNext = block;
        }
        tail = block;
        block.inLru = true;
        size++;
    }

    void remove(Block block) {
        if (!block.inLru) {
            return;
        }
        if (block.lruPrev == null) {
            head = block.lruNext;
        } else {
            block.lruPrev.lruNext = block.lruNext;
        }
        if (block.lruNext == null) {
            tail = block.lruPrev;
        } else {
            block.lruNext.lruPrev = block.lruPrev;
        }
        block.lruPrev = null;
        block.lruNext = null;
        block.inLru = false;
        size--;
    }

    Block pollFirst() {
        Block first = head;
        if (first != null) {
            remove(first);
        }
        return first;
    }
}
