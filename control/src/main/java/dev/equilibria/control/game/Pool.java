package dev.equilibria.control.game;

import dev.equilibria.protocol.WorkerRole;

/** The two players of the resource game. */
public enum Pool {
    PREFILL, DECODE;

    public Pool other() {
        return this == PREFILL ? DECODE : PREFILL;
    }

    public WorkerRole role() {
        return this == PREFILL ? WorkerRole.PREFILL : WorkerRole.DECODE;
    }
}
