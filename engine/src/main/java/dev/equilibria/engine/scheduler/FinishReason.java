package dev.equilibria.engine.scheduler;

/** Why a sequence left the engine. */
public enum FinishReason {
    /** Produced {@code max_tokens} tokens. */
    LENGTH,
    /** Sampled a stop token. */
    STOP,
    /** A prefill-only sequence produced its first token; its KV goes to a decode worker. */
    HANDOFF;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
