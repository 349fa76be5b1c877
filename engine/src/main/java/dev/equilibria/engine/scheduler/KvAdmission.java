package dev.equilibria.engine.scheduler;

/** How much KV a sequence must get before the scheduler admits it. */
public enum KvAdmission {
    /**
     * Blocks for the tokens so far; more as the output grows, preempting the newest sequence when the pool runs out
     * (vLLM's default).
     */
    LAZY,
    /** Blocks for the whole sequence, prompt plus every output token, up front: no preemption, less concurrency. */
    RESERVE
}
