package dev.equilibria.engine.kv;

/** One physical KV block. {@code hash} is set once the block is full and registered in the prefix cache. */
final class Block {

    final int id;
    int refCount;
    boolean hashed;
    long hash;

    Block(int id) {
        this.id = id;
    }
}
