package dev.equilibria.simulator.fleet;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.engine.scheduler.KvAdmission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An xPyD topology: how many prefill and decode workers, which engine profile each pool runs, and the engine's
 * KV admission model.
 */
public record FleetSpec(String name, int prefillWorkers, EngineProfile prefillProfile, int decodeWorkers,
                        EngineProfile decodeProfile, int blockSize, KvAdmission kvAdmission) {

    private static final Map<String, FleetSpec> PRESETS = new LinkedHashMap<>();

    /** Per-worker batch cap of the small preset: low, so its knee comes at a low concurrency. */
    public static final int SMALL_MAX_NUM_SEQS = 16;
    /**
     * Llama-3.1-8B on one H100 capped at {@link #SMALL_MAX_NUM_SEQS} sequences per step: the fast preset the
     * simulator's claim tests run on (a run of tens of simulated seconds takes a fraction of a wall second).
     */
    public static final EngineProfile SMALL_WORKER = withMaxNumSeqs(EngineProfiles.LLAMA_8B_H100, SMALL_MAX_NUM_SEQS);

    static {
        preset(new FleetSpec("1p2d-70b", 1, EngineProfiles.LLAMA_70B_B200, 2, EngineProfiles.LLAMA_70B_B200,
                EngineConfig.DEFAULT_BLOCK_SIZE, KvAdmission.LAZY));
        preset(new FleetSpec("1p5d-70b", 1, EngineProfiles.LLAMA_70B_B200, 5, EngineProfiles.LLAMA_70B_B200,
                EngineConfig.DEFAULT_BLOCK_SIZE, KvAdmission.LAZY));
        preset(new FleetSpec("1p2d-340b", 1, EngineProfiles.NEMOTRON_340B_B200, 2,
                EngineProfiles.NEMOTRON_340B_B200, EngineConfig.DEFAULT_BLOCK_SIZE, KvAdmission.LAZY));
        preset(new FleetSpec("2p4d-8b", 2, EngineProfiles.LLAMA_8B_H100, 4, EngineProfiles.LLAMA_8B_H100,
                EngineConfig.DEFAULT_BLOCK_SIZE, KvAdmission.LAZY));
        preset(new FleetSpec("1p4d-small", 1, SMALL_WORKER, 4, SMALL_WORKER, EngineConfig.DEFAULT_BLOCK_SIZE,
                KvAdmission.LAZY));
        preset(new FleetSpec("1p2d-small", 1, SMALL_WORKER, 2, SMALL_WORKER, EngineConfig.DEFAULT_BLOCK_SIZE,
                KvAdmission.LAZY));
        // the herding claim's fleet: aggregated, so the routing choice sits in front of the cap on the TTFT path
        preset(new FleetSpec("0p4d-small", 0, SMALL_WORKER, 4, SMALL_WORKER, EngineConfig.DEFAULT_BLOCK_SIZE,
                KvAdmission.LAZY));
    }

    public FleetSpec {
        if (prefillWorkers < 0 || decodeWorkers < 1) {
            throw new IllegalArgumentException("a fleet needs at least one decode worker and no negative pool");
        }
    }

    private static EngineProfile withMaxNumSeqs(EngineProfile p, int maxNumSeqs) {
        return new EngineProfile(p.name() + "-seqs" + maxNumSeqs, p.model(), p.gpu(), p.tp(), p.mfu(), p.mbu(),
                p.stepOverheadMs(), p.gpuMemoryUtilization(), p.activationReserveBytesPerGpu(), p.interNodeHandoff(),
                maxNumSeqs, p.maxNumBatchedTokens());
    }

    private static void preset(FleetSpec spec) {
        PRESETS.put(spec.name(), spec);
    }

    public static FleetSpec preset(String name) {
        FleetSpec spec = PRESETS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown topology '" + name + "'; presets: " + PRESETS.keySet()
                    + ", or xPyD with --profile");
        }
        return spec;
    }

    public static Set<String> presets() {
        return PRESETS.keySet();
    }

    /** {@code xPyD} (for example {@code 2p3d}) with one profile for both pools. */
    public static FleetSpec parse(String topology, EngineProfile profile) {
        if (PRESETS.containsKey(topology)) {
            return PRESETS.get(topology);
        }
        var m = java.util.regex.Pattern.compile("(\\d+)p(\\d+)d").matcher(topology.toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            return preset(topology);
        }
        return new FleetSpec(topology, Integer.parseInt(m.group(1)), profile, Integer.parseInt(m.group(2)), profile,
                EngineConfig.DEFAULT_BLOCK_SIZE, KvAdmission.LAZY);
    }

    public FleetSpec withWorkers(int prefill, int decode) {
        return new FleetSpec(prefill + "p" + decode + "d", prefill, prefillProfile, decode, decodeProfile, blockSize,
                kvAdmission);
    }

    public FleetSpec withKvAdmission(KvAdmission admission) {
        return new FleetSpec(name, prefillWorkers, prefillProfile, decodeWorkers, decodeProfile, blockSize, admission);
    }

    public int totalWorkers() {
        return prefillWorkers + decodeWorkers;
    }
}
