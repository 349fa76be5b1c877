package dev.equilibria.control.game;

/** Workers each pool asks the cluster scheduler for, in the unregulated competition. */
public record Claims(int prefill, int decode) {

    public int of(Pool pool) {
        return pool == Pool.PREFILL ? prefill : decode;
    }

    public Claims with(Pool pool, int claim) {
        return pool == Pool.PREFILL ? new Claims(claim, decode) : new Claims(prefill, claim);
    }
}
