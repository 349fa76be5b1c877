package dev.equilibria.worker.config;

import dev.equilibria.engine.EngineConfig;
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
 * @param engine            engine limits, named as in vLLM
 */
@ConfigurationProperties("equilibria.worker")
public record WorkerProperties(WorkerRole role, Integer count, String idPrefix, String model, Double timeScale,
                               Duration heartbeatInterval, Duration loadReportInterval, String advertisedHost,
                               Long seed, Engine engine) {

    public static final int DEFAULT_COUNT = 1;
    public static final String DEFAULT_MODEL = "llama-3.1-70b";
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
        model = model == null || model.isBlank() ? DEFAULT_MODEL : model;
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

    /** Engine limits ({@code equilibria.worker.engine.*}); unset ones take {@link EngineConfig}'s defaults. */
    public record Engine(Integer blockSize, Integer numBlocks, Integer maxNumSeqs, Integer maxNumBatchedTokens,
                         Integer maxModelLen, Long kvBytesPerToken) {

        public EngineConfig toConfig() {
            EngineConfig d = EngineConfig.defaults();
            return new EngineConfig(or(blockSize, d.blockSize()), or(numBlocks, d.numBlocks()),
                    or(maxNumSeqs, d.maxNumSeqs()), or(maxNumBatchedTokens, d.maxNumBatchedTokens()),
                    or(maxModelLen, d.maxModelLen()), kvBytesPerToken == null ? d.kvBytesPerToken() : kvBytesPerToken);
        }

        private static int or(Integer value, int fallback) {
            return value == null ? fallback : value;
        }
    }
}
