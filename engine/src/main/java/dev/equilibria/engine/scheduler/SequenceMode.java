package dev.equilibria.engine.scheduler;

/** Which phases a sequence runs on this worker. */
public enum SequenceMode {
    /** Prefill the prompt, sample the first token, hand the KV off (a prefill worker). */
    PREFILL_ONLY,
    /** Receive the prompt's KV from a prefill worker, then generate (a decode worker). */
    DECODE_ONLY,
    /** Prefill and generate here (an aggregated worker). */
    FULL
}
