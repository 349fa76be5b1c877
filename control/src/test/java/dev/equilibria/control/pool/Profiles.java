package dev.equilibria.control.pool;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.PolynomialTimingModel;

/** Worker profiles for tests, with timing coefficients fixed here so the tests do not move with engine defaults. */
public final class Profiles {

    /** Roughly Llama-3.1-70B FP8 on 4 B200 (the engine's polynomial default when these tests were written). */
    public static final PolynomialTimingModel TIMING = new PolynomialTimingModel(8.0, 0.025, 5.0e-7, 9.0, 0.03, 2.0e-6);
    public static final WorkerProfile WORKER = new WorkerProfile(EngineConfig.defaults(), TIMING);
    public static final LinkProfile LINK = new LinkProfile("test-nvlink", 400e9, 5);

    private Profiles() {
    }

    public static PrefillPoolModel prefill() {
        return new PrefillPoolModel(WORKER);
    }

    public static DecodePoolModel decode() {
        return new DecodePoolModel(WORKER, HandoffModel.of(LINK, WORKER.engine()));
    }
}
