package dev.equilibria.simulator.experiment;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.DecodeEstimate;
import dev.equilibria.control.pool.DecodePoolModel;
import dev.equilibria.control.pool.HandoffModel;
import dev.equilibria.control.pool.PrefillEstimate;
import dev.equilibria.control.pool.PrefillPoolModel;
import dev.equilibria.control.pool.WorkerProfile;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.simulator.fleet.FleetSpec;

/**
 * What the allocator's pool models (the {@code control} module's {@link PrefillPoolModel} and
 * {@link DecodePoolModel}, built from the same engine profiles as the simulated workers, as allocator-service builds
 * them) predict for a fleet: each pool's largest arrival rate, which pool binds, and the closed-loop concurrency at
 * which the fleet reaches that rate. By Little's law that knee is {@code C* = lambda_max * R}, with {@code R} the
 * response time at capacity: the request's own prefill, the KV handoff and its decode tokens at the decode batch
 * that rate implies. When decode binds, {@code lambda_max * n * step(cap)} is exactly the decode pool's
 * {@code G_D * cap} sequences, so the prediction is "the decode pool's batch slots plus what is in prefill".
 *
 * @param prefillRate     requests/s the prefill pool can take
 * @param decodeRate      requests/s the decode pool can take
 * @param responseSeconds response time at capacity (prefill + handoff + decode)
 * @param decodeBatchCap  sequences one decode worker holds (max_num_seqs or the KV limit)
 */
public record CapacityPrediction(double prefillRate, double decodeRate, double responseSeconds, int decodeBatchCap) {

    /** Just below capacity, where the models' means are finite. */
    private static final double AT_CAPACITY = 0.999;

    /**
     * @param prefixHitRate share of prompt tokens served from the prefix cache (measured, or 0 for none)
     */
    public static CapacityPrediction of(FleetSpec fleet, double promptTokens, double outputTokens,
                                        double prefixHitRate) {
        Workload unit = new Workload(1, promptTokens, promptTokens, outputTokens, prefixHitRate);
        DecodePoolModel decode = decodeModel(fleet);
        double decodeRate = decode.maxArrivalRate(unit, fleet.decodeWorkers());
        if (fleet.prefillWorkers() == 0) {
            return new CapacityPrediction(Double.NaN, decodeRate, Double.NaN, decode.batchCap(unit));
        }
        PrefillPoolModel prefill = prefillModel(fleet);
        double prefillRate = prefill.maxArrivalRate(unit, fleet.prefillWorkers());
        double rate = Math.min(prefillRate, decodeRate) * AT_CAPACITY;
        PrefillEstimate p = prefill.estimate(unit.withArrivalRate(rate), fleet.prefillWorkers());
        DecodeEstimate d = decode.estimate(unit.withArrivalRate(rate), fleet.decodeWorkers());
        double response = p.serviceSeconds() + d.handoffSeconds() + d.decodeTokens() * d.stepSeconds();
        return new CapacityPrediction(prefillRate, decodeRate, response, d.batchCap());
    }

    public static PrefillPoolModel prefillModel(FleetSpec fleet) {
        return new PrefillPoolModel(profile(fleet.prefillProfile(), fleet.blockSize()));
    }

    public static DecodePoolModel decodeModel(FleetSpec fleet) {
        EngineProfile profile = fleet.decodeProfile();
        EngineConfig engine = profile.engineConfig(fleet.blockSize());
        return new DecodePoolModel(profile(profile, fleet.blockSize()), HandoffModel.of(profile.handoffLink(), engine));
    }

    private static WorkerProfile profile(EngineProfile profile, int blockSize) {
        return new WorkerProfile(profile.engineConfig(blockSize), profile.rooflineTiming());
    }

    /** Requests/s the fleet can take: the smaller pool's. */
    public double maxRate() {
        return Double.isNaN(prefillRate) ? decodeRate : Math.min(prefillRate, decodeRate);
    }

    /** {@code prefill} or {@code decode}: the pool that saturates first. */
    public String bottleneck() {
        return !Double.isNaN(prefillRate) && prefillRate < decodeRate ? "prefill" : "decode";
    }

    /** The closed-loop concurrency at which the fleet reaches its capacity (Little's law). */
    public double kneeConcurrency() {
        return maxRate() * AT_CAPACITY * responseSeconds;
    }
}
