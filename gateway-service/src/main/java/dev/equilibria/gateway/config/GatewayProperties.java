package dev.equilibria.gateway.config;

import com.knuddels.jtokkit.api.EncodingType;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.admission.AdmissionController;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.index.ApproximateKvIndex;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.policy.InvalidSettingException;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.registry.WorkerRegistry;
import dev.equilibria.service.config.PropertyChecks;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's settings, under {@code equilibria.gateway}. A missing value takes the named default; an invalid one
 * stops startup with a message naming the property.
 *
 * @param id                   this replica's id in the shared load ledger and the decision log; random by default
 * @param heartbeatTtl         a worker is dropped when its last heartbeat is older than this
 * @param blockSize            tokens per KV block for hashing prompts when no worker says otherwise ({@code block_size})
 * @param requestTimeout       longest a request may take, prefill and the whole decode stream included
 * @param tokenizerEncoding    jtokkit encoding for text prompts and generated text, for example {@code cl100k_base}
 * @param workerConnectTimeout longest the gateway waits to open a connection to a worker
 * @param router               routing policy and orchestration at startup (the base layer of the live config)
 * @param kvIndex              how the gateway learns what workers cache
 * @param ledger               sharing in-flight load with the other replicas
 * @param admission            queueing and shedding when every worker is over its threshold
 * @param limits               what one request may cost before it is refused (size, time, tokens, concurrency)
 * @param apiKeys              optional API keys on the public API, with per-key rate limits
 * @param failover             retrying legs and migrating streams when a worker dies
 * @param circuitBreaker       per-worker circuit breakers
 */
@ConfigurationProperties(prefix = GatewayProperties.PREFIX)
public record GatewayProperties(String id, Duration heartbeatTtl, Integer blockSize, Duration requestTimeout,
                                String tokenizerEncoding, Duration workerConnectTimeout, Router router,
                                KvIndexSettings kvIndex, Ledger ledger, Admission admission, Limits limits,
                                ApiKeys apiKeys, Failover failover, CircuitBreaker circuitBreaker) {

    public static final String PREFIX = "equilibria.gateway";

    private static final PropertyChecks CHECKS = new PropertyChecks(PREFIX);

    public static final Duration DEFAULT_HEARTBEAT_TTL = WorkerRegistry.DEFAULT_HEARTBEAT_TTL;
    public static final int DEFAULT_BLOCK_SIZE = BlockHasher.DEFAULT_BLOCK_SIZE;
    /** Generous: a long generation at tens of tokens per second runs for minutes. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** The GPT-4 family's encoding; any BPE with a large vocabulary serves the simulated workers. */
    public static final String DEFAULT_TOKENIZER_ENCODING = "cl100k_base";
    /** Short, so a worker that died within its heartbeat TTL fails a request fast instead of hanging it. */
    public static final Duration DEFAULT_WORKER_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    public GatewayProperties {
        id = id == null || id.isBlank() ? "gw-" + UUID.randomUUID().toString().substring(0, 8) : id.trim();
        heartbeatTtl = CHECKS.positive(heartbeatTtl, DEFAULT_HEARTBEAT_TTL, "heartbeat-ttl");
        requestTimeout = CHECKS.positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "request-timeout");
        workerConnectTimeout = CHECKS.positive(workerConnectTimeout, DEFAULT_WORKER_CONNECT_TIMEOUT,
                "worker-connect-timeout");
        blockSize = blockSize == null ? DEFAULT_BLOCK_SIZE : blockSize;
        try {
            new BlockHasher(blockSize);
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("block-size", e.getMessage());
        }
        tokenizerEncoding = tokenizerEncoding == null ? DEFAULT_TOKENIZER_ENCODING : tokenizerEncoding.trim();
        if (EncodingType.fromName(tokenizerEncoding).isEmpty()) {
            throw CHECKS.invalid("tokenizer-encoding", "unknown encoding '" + tokenizerEncoding + "' (known: "
                    + String.join(", ", Arrays.stream(EncodingType.values()).map(EncodingType::getName).toList())
                    + ")");
        }
        router = router == null ? Router.DEFAULTS : router;
        try {
            router.toConfig().validate("");
        } catch (InvalidSettingException e) {
            throw CHECKS.invalid("router." + e.field().replace('_', '-'), e.problem());
        }
        kvIndex = kvIndex == null ? new KvIndexSettings(null, null, null) : kvIndex;
        ledger = ledger == null ? new Ledger(null, null, null) : ledger;
        admission = admission == null ? new Admission(null, null, null, null, null, null) : admission;
        limits = limits == null ? new Limits(null, null, null, null) : limits;
        apiKeys = apiKeys == null ? new ApiKeys(null, null, null, null, null) : apiKeys;
        failover = failover == null ? new Failover(null, null, null) : failover;
        circuitBreaker = circuitBreaker == null ? new CircuitBreaker(null, null, null, null, null, null)
                : circuitBreaker;
    }

    /** Defaults for everything. */
    public static GatewayProperties defaults() {
        return new GatewayProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * {@code equilibria.gateway.router.*}: the startup layer of the router configuration. Shared settings apply to
     * both legs; {@code prefill.*} and {@code decode.*} override them for one leg. Unset means the policy's default.
     */
    public record Router(String policy, Double overlapScoreWeight, Double routerTemperature,
                         Double balanceAbsThreshold, Double balanceRelThreshold, Double cacheThreshold,
                         Leg prefill, Leg decode, String orchestration, Integer remotePrefillThreshold,
                         Boolean refuseWhenFull, Long seed) {

        public static final Router DEFAULTS = new Router(null, null, null, null, null, null, null, null, null, null,
                null, null);

        public RouterConfig toConfig() {
            return new RouterConfig(new PolicySettings(policy, overlapScoreWeight, routerTemperature,
                    balanceAbsThreshold, balanceRelThreshold, cacheThreshold),
                    prefill == null ? null : prefill.toSettings(), decode == null ? null : decode.toSettings(),
                    orchestration, remotePrefillThreshold, refuseWhenFull);
        }
    }

    /** One leg's policy settings ({@code equilibria.gateway.router.prefill.*} / {@code .decode.*}). */
    public record Leg(String policy, Double overlapScoreWeight, Double routerTemperature, Double balanceAbsThreshold,
                      Double balanceRelThreshold, Double cacheThreshold) {

        PolicySettings toSettings() {
            return new PolicySettings(policy, overlapScoreWeight, routerTemperature, balanceAbsThreshold,
                    balanceRelThreshold, cacheThreshold);
        }
    }

    /**
     * {@code equilibria.gateway.kv-index.*}.
     *
     * @param mode           {@code events} (mirror the workers' KV events) or {@code approximate} (remember own
     *                       decisions for {@code approximate-ttl})
     * @param approximateTtl how long the approximate mode believes a routed prompt stays cached
     * @param snapshotRetry  how long to wait for a requested KV snapshot before asking again
     */
    public record KvIndexSettings(String mode, Duration approximateTtl, Duration snapshotRetry) {

        public KvIndexSettings {
            mode = mode == null ? KvIndex.EVENTS : mode.trim();
            if (!mode.equals(KvIndex.EVENTS) && !mode.equals(KvIndex.APPROXIMATE)) {
                throw CHECKS.invalid("kv-index.mode", "must be events or approximate, got '" + mode + "'");
            }
            approximateTtl = CHECKS.positive(approximateTtl, ApproximateKvIndex.DEFAULT_TTL, "kv-index.approximate-ttl");
            snapshotRetry = CHECKS.positive(snapshotRetry, KvEventIndex.DEFAULT_SNAPSHOT_RETRY, "kv-index.snapshot-retry");
        }
    }

    /**
     * {@code equilibria.gateway.ledger.*}.
     *
     * @param publishInterval   how often changed shares are published to the other replicas
     * @param keepaliveInterval with no change, the full share is published this often (bounds peers' staleness)
     * @param peerTtl           a replica silent for this long is dropped with its load
     */
    public record Ledger(Duration publishInterval, Duration keepaliveInterval, Duration peerTtl) {

        public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofMillis(10);

        public Ledger {
            publishInterval = CHECKS.positive(publishInterval, DEFAULT_PUBLISH_INTERVAL, "ledger.publish-interval");
            keepaliveInterval = CHECKS.positive(keepaliveInterval, LoadLedger.DEFAULT_KEEPALIVE_INTERVAL,
                    "ledger.keepalive-interval");
            peerTtl = CHECKS.positive(peerTtl, LoadLedger.DEFAULT_PEER_TTL, "ledger.peer-ttl");
        }
    }

    /**
     * {@code equilibria.gateway.admission.*}.
     *
     * @param enabled                         queue and shed when every worker is over its threshold
     * @param queueCapacity                   requests that may wait; past it, 429 with Retry-After
     * @param queueTimeout                    longest a request waits in the queue (also bounded by request-timeout)
     * @param retryAfter                      the Retry-After a rejected client gets
     * @param maxInflightPerWorker            legs in flight per worker before it counts as saturated; 0 = its
     *                                        {@code max_num_seqs}
     * @param maxQueuedPrefillTokensPerWorker uncached prompt tokens waiting per worker before it counts as
     *                                        saturated; 0 = 32 x its {@code max_num_batched_tokens}
     */
    public record Admission(Boolean enabled, Integer queueCapacity, Duration queueTimeout, Duration retryAfter,
                            Integer maxInflightPerWorker, Long maxQueuedPrefillTokensPerWorker) {

        public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(30);
        public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

        public Admission {
            enabled = enabled == null || enabled;
            queueCapacity = queueCapacity == null ? AdmissionController.DEFAULT_QUEUE_CAPACITY : queueCapacity;
            if (queueCapacity < 0) {
                throw CHECKS.invalid("admission.queue-capacity", "must be >= 0, got " + queueCapacity);
            }
            queueTimeout = CHECKS.positive(queueTimeout, DEFAULT_QUEUE_TIMEOUT, "admission.queue-timeout");
            retryAfter = CHECKS.positive(retryAfter, DEFAULT_RETRY_AFTER, "admission.retry-after");
            maxInflightPerWorker = maxInflightPerWorker == null ? 0 : maxInflightPerWorker;
            maxQueuedPrefillTokensPerWorker = maxQueuedPrefillTokensPerWorker == null ? 0
                    : maxQueuedPrefillTokensPerWorker;
            if (maxInflightPerWorker < 0) {
                throw CHECKS.invalid("admission.max-inflight-per-worker", "must be >= 0, got " + maxInflightPerWorker);
            }
            if (maxQueuedPrefillTokensPerWorker < 0) {
                throw CHECKS.invalid("admission.max-queued-prefill-tokens-per-worker", "must be >= 0, got "
                        + maxQueuedPrefillTokensPerWorker);
            }
        }
    }

    /**
     * {@code equilibria.gateway.limits.*}: bounds on one request, checked before it costs anything downstream.
     * Memory for request bodies is bounded by {@code max-concurrent-requests} x {@code max-body-size}.
     *
     * @param maxBodySize           largest request body; larger is a 413 (refused from {@code Content-Length}
     *                              before the body is read, else as soon as the limit is crossed)
     * @param bodyReadTimeout       longest time to receive a request's whole body; past it a 408 and the
     *                              connection is closed (slow or stalled clients)
     * @param maxPromptTokens       longest prompt in tokens, whatever the model's context; longer is a 400
     * @param maxConcurrentRequests API requests handled at once (reading, waiting, streaming); past it a 429 with
     *                              Retry-After before the body is read
     */
    public record Limits(DataSize maxBodySize, Duration bodyReadTimeout, Integer maxPromptTokens,
                         Integer maxConcurrentRequests) {

        /** A 128k-token prompt is about 0.5 MB as text and at most 1 MB as token ids; room for chat markup. */
        public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofMegabytes(4);
        public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(30);
        /** The longest context of the engine profiles the fleet ships (Llama-3.1's 128k). */
        public static final int DEFAULT_MAX_PROMPT_TOKENS = 131_072;
        /** With the default body size, at most 2 GiB of request bodies in memory. */
        public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 512;

        public Limits {
            maxBodySize = maxBodySize == null ? DEFAULT_MAX_BODY_SIZE : maxBodySize;
            if (maxBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
                throw CHECKS.invalid("limits.max-body-size", "must be between 1B and 2GB, got " + maxBodySize);
            }
            bodyReadTimeout = CHECKS.positive(bodyReadTimeout, DEFAULT_BODY_READ_TIMEOUT, "limits.body-read-timeout");
            maxPromptTokens = maxPromptTokens == null ? DEFAULT_MAX_PROMPT_TOKENS : maxPromptTokens;
            if (maxPromptTokens < 1) {
                throw CHECKS.invalid("limits.max-prompt-tokens", "must be >= 1, got " + maxPromptTokens);
            }
            maxConcurrentRequests = maxConcurrentRequests == null ? DEFAULT_MAX_CONCURRENT_REQUESTS
                    : maxConcurrentRequests;
            if (maxConcurrentRequests < 1) {
                throw CHECKS.invalid("limits.max-concurrent-requests", "must be >= 1, got " + maxConcurrentRequests);
            }
        }
    }

    /**
     * {@code equilibria.gateway.failover.*}.
     *
     * @param maxMigrations  times one request's stream may move to another worker after its worker died; past
     *                       it the client gets an error event
     * @param prefillTimeout a prefill leg with no answer for this long counts as a dead worker and is retried
     * @param stallTimeout   a decode stream with no token for this long counts as a dead worker and migrates
     */
    public record Failover(Integer maxMigrations, Duration prefillTimeout, Duration stallTimeout) {

        /** Two migrations cover a second failure during the first recovery without looping on a sick fleet. */
        public static final int DEFAULT_MAX_MIGRATIONS = 2;
        /** Generous: a prefill may queue behind a long backlog on a busy but healthy worker. */
        public static final Duration DEFAULT_PREFILL_TIMEOUT = Duration.ofSeconds(60);
        /** Far above any healthy inter-token gap (tens of ms), short enough that a hung worker is left quickly. */
        public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

        public Failover {
            maxMigrations = maxMigrations == null ? DEFAULT_MAX_MIGRATIONS : maxMigrations;
            if (maxMigrations < 0) {
                throw CHECKS.invalid("failover.max-migrations", "must be >= 0, got " + maxMigrations);
            }
            prefillTimeout = CHECKS.positive(prefillTimeout, DEFAULT_PREFILL_TIMEOUT, "failover.prefill-timeout");
            stallTimeout = CHECKS.positive(stallTimeout, DEFAULT_STALL_TIMEOUT, "failover.stall-timeout");
        }
    }

    /**
     * {@code equilibria.gateway.api-keys.*}: API keys on {@code /v1/**}, off by default. Keys never live in the
     * repository or in plain configuration files of it: {@code keys} defaults to {@code $EQUILIBRIA_API_KEYS} and
     * {@code file} to {@code $EQUILIBRIA_API_KEYS_FILE} (see {@code security.ApiKeySpec} for the format).
     *
     * @param enabled      require a key on every API request
     * @param keys         key entries, comma or newline separated
     * @param file         a file of key entries, one per line
     * @param defaultRate  requests per second a key may make when its entry sets no rate
     * @param defaultBurst requests a key may make at once when its entry sets no burst
     */
    public record ApiKeys(Boolean enabled, String keys, String file, Double defaultRate, Integer defaultBurst) {

        public static final boolean DEFAULT_ENABLED = false;
        public static final double DEFAULT_RATE = 20.0;
        public static final int DEFAULT_BURST = 40;

        public ApiKeys {
            enabled = enabled == null ? DEFAULT_ENABLED : enabled;
            keys = keys == null ? "" : keys;
            file = file == null ? "" : file.trim();
            defaultRate = defaultRate == null ? DEFAULT_RATE : defaultRate;
            defaultBurst = defaultBurst == null ? DEFAULT_BURST : defaultBurst;
            if (!(defaultRate > 0) || defaultRate.isInfinite()) {
                throw CHECKS.invalid("api-keys.default-rate", "must be a positive number, got " + defaultRate);
            }
            if (defaultBurst < 1) {
                throw CHECKS.invalid("api-keys.default-burst", "must be >= 1, got " + defaultBurst);
            }
        }

        /** Hides the keys from anything that prints the settings. */
        @Override
        public String toString() {
            return "ApiKeys[enabled=" + enabled + ", keys=<hidden>, file=" + file + ", defaultRate=" + defaultRate
                    + ", defaultBurst=" + defaultBurst + "]";
        }
    }

    /**
     * {@code equilibria.gateway.circuit-breaker.*}: one resilience4j breaker per worker over its last calls.
     *
     * @param enabled                       open breakers take their worker out of routing
     * @param failureRateThreshold          percentage of failed calls in the window that opens the breaker
     * @param minimumNumberOfCalls          calls needed in the window before the rate is judged
     * @param slidingWindowSize             calls in the window
     * @param waitDurationInOpenState       how long an open breaker keeps its worker out before half-open probes
     * @param permittedCallsInHalfOpenState probe calls that decide whether the breaker closes or opens again
     */
    public record CircuitBreaker(Boolean enabled, Float failureRateThreshold, Integer minimumNumberOfCalls,
                                 Integer slidingWindowSize, Duration waitDurationInOpenState,
                                 Integer permittedCallsInHalfOpenState) {

        public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
        public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 5;
        public static final int DEFAULT_SLIDING_WINDOW_SIZE = 10;
        public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(10);
        public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 2;

        public CircuitBreaker {
            enabled = enabled == null || enabled;
            failureRateThreshold = failureRateThreshold == null ? DEFAULT_FAILURE_RATE_THRESHOLD
                    : failureRateThreshold;
            if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
                throw CHECKS.invalid("circuit-breaker.failure-rate-threshold", "must be in (0, 100], got "
                        + failureRateThreshold);
            }
            minimumNumberOfCalls = CHECKS.atLeastOne(minimumNumberOfCalls, DEFAULT_MINIMUM_NUMBER_OF_CALLS,
                    "circuit-breaker.minimum-number-of-calls");
            slidingWindowSize = CHECKS.atLeastOne(slidingWindowSize, DEFAULT_SLIDING_WINDOW_SIZE,
                    "circuit-breaker.sliding-window-size");
            waitDurationInOpenState = CHECKS.positive(waitDurationInOpenState, DEFAULT_WAIT_DURATION_IN_OPEN_STATE,
                    "circuit-breaker.wait-duration-in-open-state");
            permittedCallsInHalfOpenState = CHECKS.atLeastOne(permittedCallsInHalfOpenState,
                    DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE, "circuit-breaker.permitted-calls-in-half-open-state");
        }
    }



}
