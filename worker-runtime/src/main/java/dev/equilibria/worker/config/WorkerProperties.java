package dev.equilibria.worker.config;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.engine.timing.PolynomialTimingModel;
import dev.equilibria.engine.timing.TimingModel;
import dev.equilibria.protocol.WorkerRole;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Workers hosted by one prefill-service or decode-service process ({@code equilibria.worker.*}).
 *
 * @param role              role the hosted workers start with
 * @param count             workers hosted by this process, each with its own id, KV pool and scheduler
 * @param idPrefix          worker ids are {@code <id_prefix>-<n>}; defaults to the role name
 * @param model             served model name, announced in heartbeats and listed by the gateway
 * @param timeScale         how much faster than real time the simulated GPUs run (1 = real time)
 * @param heartbeatInterval how often each worker announces itself on Kafka
 * @param loadReportInterval how often each worker publishes its load on Kafka
 * @param advertisedHost    host name the gateway uses to reach this process
 * @param seed              seed of the token sampler; each worker derives its own from it
 * @param backend           what executes the engine's steps: {@code simulated} (the calibrated GPU model, the only
 *                          backend today; a real GPU backend plugs in behind the same engine seam)
 * @param profile           engine profile (model on GPUs), see {@link EngineProfiles#names()}
 * @param timing            {@code roofline} (derived from the profile) or {@code polynomial}
 * @param polynomial        coefficients of the polynomial timing model; unset ones take its defaults
 * @param engine            engine limits, named as in vLLM; unset ones follow from the profile
 */
@ConfigurationProperties("equilibria.worker")
public record WorkerProperties(WorkerRole role, Integer count, String idPrefix, String model, Double timeScale,
                               Duration heartbeatInterval, Duration loadReportInterval, String advertisedHost,
                               Long seed, Backend backend, String profile, Timing timing, Polynomial polynomial,
                               Engine engine) {

    public static final int DEFAULT_COUNT = 1;
    public static final double DEFAULT_TIME_SCALE = 1.0;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LOAD_REPORT_INTERVAL = Duration.ofSeconds(1);
    public static final String DEFAULT_ADVERTISED_HOST = "127.0.0.1";
    public static final long DEFAULT_SEED = 42L;

    public WorkerProperties {
        if (role == null) {
            throw new IllegalArgumentException("equilibria.worker.role must be set to prefill, decode or aggregated");
        }
        count = count == null ? DEFAULT_COUNT : count;
        if (count < 1) {
            throw new IllegalArgumentException("equilibria.worker.count must be at least 1, got " + count);
        }
        idPrefix = idPrefix == null || idPrefix.isBlank() ? role.wireName() : idPrefix;
        backend = backend == null ? Backend.SIMULATED : backend;
        profile = profile == null || profile.isBlank() ? EngineProfiles.DEFAULT.name() : profile;
        EngineProfile resolved = EngineProfiles.byName(profile); // fails fast, naming the known profiles
        model = model == null || model.isBlank() ? resolved.model().name() : model;
        timing = timing == null ? Timing.ROOFLINE : timing;
        polynomial = polynomial == null ? new Polynomial(null, null, null, null, null, null) : polynomial;
        timeScale = timeScale == null ? DEFAULT_TIME_SCALE : timeScale;
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("equilibria.worker.time-scale must be positive, got " + timeScale);
        }
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
        loadReportInterval = loadReportInterval == null ? DEFAULT_LOAD_REPORT_INTERVAL : loadReportInterval;
        advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? DEFAULT_ADVERTISED_HOST : advertisedHost;
        seed = seed == null ? DEFAULT_SEED : seed;
        engine = engine == null ? new Engine(null, null, null, null, null, null) : engine;
    }

    public String workerId(int index) {
        return idPrefix + "-" + index;
    }

    public EngineProfile engineProfile() {
        return EngineProfiles.byName(profile);
    }

    public EngineConfig engineConfig() {
        return engine.toConfig(engineProfile());
    }

    public TimingModel timingModel() {
        return timing == Timing.POLYNOMIAL ? polynomial.toModel() : engineProfile().rooflineTiming();
    }

    /** Engine backends; binding any other value fails at startup naming {@code equilibria.worker.backend}. */
    public enum Backend {
        SIMULATED
    }

    /** Which timing model the simulated GPUs use. */
    public enum Timing {
        ROOFLINE, POLYNOMIAL
    }

    /** Coefficients of {@link PolynomialTimingModel} ({@code equilibria.worker.polynomial.*}). */
    public record Polynomial(Double prefillBaseMs, Double prefillMsPerToken, Double prefillMsPerToken2,
                             Double decodeBaseMs, Double decodeMsPerSeq, Double decodeMsPerKvToken) {

        public PolynomialTimingModel toModel() {
            PolynomialTimingModel d = PolynomialTimingModel.DEFAULT;
            return new PolynomialTimingModel(or(prefillBaseMs, d.prefillBaseMs()),
                    or(prefillMsPerToken, d.prefillMsPerToken()), or(prefillMsPerToken2, d.prefillMsPerToken2()),
                    or(decodeBaseMs, d.decodeBaseMs()), or(decodeMsPerSeq, d.decodeMsPerSeq()),
                    or(decodeMsPerKvToken, d.decodeMsPerKvToken()));
        }

        private static double or(Double value, double fallback) {
            return value == null ? fallback : value;
        }
    }

    /** Engine limits ({@code equilibria.worker.engine.*}); unset ones follow from the profile. */
    public record Engine(Integer blockSize, Integer numBlocks, Integer maxNumSeqs, Integer maxNumBatchedTokens,
                         Integer maxModelLen, Duration handoffHoldTimeout) {

        public EngineConfig toConfig(EngineProfile profile) {
            int block = or(blockSize, EngineConfig.DEFAULT_BLOCK_SIZE);
            EngineConfig p = profile.engineConfig(block);
            return new EngineConfig(block, or(numBlocks, p.numBlocks()), or(maxNumSeqs, p.maxNumSeqs()),
                    or(maxNumBatchedTokens, p.maxNumBatchedTokens()), or(maxModelLen, p.maxModelLen()),
                    p.kvBytesPerToken());
        }

        public Duration handoffHoldTimeoutOrDefault() {
            return handoffHoldTimeout == null ? dev.equilibria.engine.Engine.DEFAULT_HANDOFF_HOLD_TIMEOUT
                    : handoffHoldTimeout;
        }

        private static int or(Integer value, int fallback) {
            return value == null ? fallback : value;
        }
    }
}
