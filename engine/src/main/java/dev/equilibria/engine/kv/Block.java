package dev.equilibria.engine.kv;

/**
 * One physical KV block. {@code hash} is set once the block is full and registered in the prefix cache; an
 * unreferenced cached block sits in the manager's LRU list through {@code lruPrev} / {@code lruNext}.
 */
final class Block {

    final int id;
    int refCount;
    boolean hashed;
    long hash;
    Block lruPrev;
    Block lruNext;
    boolean inLru;

    Block(int id) {
        this.id = id;
    }
}
