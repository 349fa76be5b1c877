package dev.equilibria.routing.orchestration;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** In which order a disaggregated request's workers are chosen. */
public enum OrchestrationMode {
    /** Pick a prefill worker, prefill, then pick a decode worker with fresh load and hand the KV off. */
    PREFILL_FIRST,
    /**
     * Pick the decode worker first; prefill remotely only when the prompt's part not cached on that worker exceeds
     * {@code remote_prefill_threshold}, else let the decode worker prefill it itself.
     */
    DECODE_FIRST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static OrchestrationMode fromWireName(String name) {
        for (OrchestrationMode mode : values()) {
            if (mode.wireName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown orchestration '" + name + "' (known: " + Arrays.stream(values())
                .map(OrchestrationMode::wireName).collect(Collectors.joining(", ")) + ")");
    }
}
