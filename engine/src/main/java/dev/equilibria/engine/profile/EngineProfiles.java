package dev.equilibria.engine.profile;

import static dev.equilibria.engine.profile.EngineProfile.DEFAULT_ACTIVATION_RESERVE_BYTES;
import static dev.equilibria.engine.profile.EngineProfile.DEFAULT_GPU_MEMORY_UTILIZATION;
import static dev.equilibria.engine.profile.EngineProfile.DEFAULT_MBU;
import static dev.equilibria.engine.profile.EngineProfile.DEFAULT_MFU;
import static dev.equilibria.engine.profile.EngineProfile.DEFAULT_STEP_OVERHEAD_MS;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The named profiles the fleet and the simulator ship with; sources of every number in the engine README. */
public final class EngineProfiles {

    /** The paper's main setup: Llama-3.1-70B FP8, TP4 on B200. */
    public static final EngineProfile LLAMA_70B_B200 = new EngineProfile("llama-3.1-70b-fp8-tp4-b200",
            ModelSpec.LLAMA_31_70B_FP8, GpuSpec.B200_FP8, 4, DEFAULT_MFU, DEFAULT_MBU, DEFAULT_STEP_OVERHEAD_MS,
            DEFAULT_GPU_MEMORY_UTILIZATION, DEFAULT_ACTIVATION_RESERVE_BYTES, false, 256, 8192);
    /** The paper's large setup: Nemotron-4-340B FP8 on a whole B200 node; handoffs cross InfiniBand. */
    public static final EngineProfile NEMOTRON_340B_B200 = new EngineProfile("nemotron-4-340b-fp8-tp8-b200",
            ModelSpec.NEMOTRON_4_340B_FP8, GpuSpec.B200_FP8, 8, DEFAULT_MFU, DEFAULT_MBU, DEFAULT_STEP_OVERHEAD_MS,
            DEFAULT_GPU_MEMORY_UTILIZATION, DEFAULT_ACTIVATION_RESERVE_BYTES, true, 256, 8192);
    public static final EngineProfile LLAMA_8B_H100 = new EngineProfile("llama-3.1-8b-bf16-tp1-h100",
            ModelSpec.LLAMA_31_8B_BF16, GpuSpec.H100_BF16, 1, DEFAULT_MFU, DEFAULT_MBU, 1.0,
            DEFAULT_GPU_MEMORY_UTILIZATION, 2e9, false, 256, 8192);
    public static final EngineProfile LLAMA_8B_H200 = new EngineProfile("llama-3.1-8b-bf16-tp1-h200",
            ModelSpec.LLAMA_31_8B_BF16, GpuSpec.H200_BF16, 1, DEFAULT_MFU, DEFAULT_MBU, 1.0,
            DEFAULT_GPU_MEMORY_UTILIZATION, 2e9, false, 256, 8192);

    /** What a worker runs when no profile is named. */
    public static final EngineProfile DEFAULT = LLAMA_70B_B200;

    private static final Map<String, EngineProfile> BY_NAME = new LinkedHashMap<>();

    static {
        for (EngineProfile p : new EngineProfile[] {LLAMA_70B_B200, NEMOTRON_340B_B200, LLAMA_8B_H100, LLAMA_8B_H200}) {
            BY_NAME.put(p.name(), p);
        }
        BY_NAME.put("70b-b200", LLAMA_70B_B200);
        BY_NAME.put("340b-b200", NEMOTRON_340B_B200);
        BY_NAME.put("8b-h100", LLAMA_8B_H100);
        BY_NAME.put("8b-h200", LLAMA_8B_H200);
    }

    private EngineProfiles() {
    }

    /** The profile of that name or short alias ({@code 70b-b200}, {@code 340b-b200}, {@code 8b-h100}, {@code 8b-h200}). */
    public static EngineProfile byName(String name) {
        EngineProfile profile = BY_NAME.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("unknown engine profile '" + name + "'; known: " + BY_NAME.keySet());
        }
        return profile;
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
