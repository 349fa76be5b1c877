package dev.equilibria.control.pool;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.TimingModel;
import java.util.Objects;

/** One worker's engine limits and speed: what the pool models are derived from. */
public record WorkerProfile(EngineConfig engine, TimingModel timing) {

    public WorkerProfile {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(timing, "timing");
    }
}
