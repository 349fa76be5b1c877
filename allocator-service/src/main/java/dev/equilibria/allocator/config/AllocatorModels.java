package dev.equilibria.allocator.config;

import dev.equilibria.allocator.demand.LoadBasedDemand;
import dev.equilibria.control.game.GameSolver;
import dev.equilibria.control.game.Slo;
import dev.equilibria.control.pool.DecodePoolModel;
import dev.equilibria.control.pool.HandoffModel;
import dev.equilibria.control.pool.PrefillPoolModel;
import dev.equilibria.control.pool.WorkerProfile;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.profile.EngineProfile;

/**
 * The pool models derived from the workers' engine profile, built once: what every decision, what-if and the
 * load-based demand estimate share. Immutable and thread-safe (the models hold no state).
 */
public final class AllocatorModels {

    private final EngineProfile profile;
    private final EngineConfig engine;
    private final WorkerProfile worker;
    private final PrefillPoolModel prefill;
    private final DecodePoolModel decode;
    private final LoadBasedDemand loadBased;

    public AllocatorModels(EngineProfile profile, int blockSize) {
        this.profile = profile;
        this.engine = profile.engineConfig(blockSize);
        this.worker = new WorkerProfile(engine, profile.rooflineTiming());
        this.prefill = new PrefillPoolModel(worker);
        this.decode = new DecodePoolModel(worker, HandoffModel.of(profile.handoffLink(), engine));
        this.loadBased = new LoadBasedDemand(prefill, worker.timing(), engine);
    }

    public static AllocatorModels of(AllocatorProperties properties) {
        return new AllocatorModels(properties.engineProfile(), properties.blockSize());
    }

    /** A solver for these SLOs (cheap: the solvers are stateless). */
    public GameSolver solver(Slo slo) {
        return new GameSolver(prefill, decode, slo);
    }

    public EngineProfile profile() {
        return profile;
    }

    public EngineConfig engine() {
        return engine;
    }

    public PrefillPoolModel prefill() {
        return prefill;
    }

    public DecodePoolModel decode() {
        return decode;
    }

    public LoadBasedDemand loadBased() {
        return loadBased;
    }
}
