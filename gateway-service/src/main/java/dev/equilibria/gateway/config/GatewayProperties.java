package dev.equilibria.gateway.config;

import com.knuddels.jtokkit.api.EncodingType;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.policy.RoundRobinSelector;
import dev.equilibria.routing.policy.WorkerSelectors;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's settings, under {@code equilibria.gateway}. A missing value takes the named default; an invalid one
 * stops startup with a message naming the property.
 *
 * @param heartbeatTtl         a worker is dropped when its last heartbeat is older than this
 * @param blockSize            tokens per KV block when hashing prompts ({@code block_size})
 * @param requestTimeout       longest a request may take, prefill and the whole decode stream included
 * @param tokenizerEncoding    jtokkit encoding for text prompts and generated text, for example {@code cl100k_base}
 * @param routingPolicy        config name of the worker selection policy, for example {@code round_robin}
 * @param workerConnectTimeout longest the gateway waits to open a connection to a worker
 */
@ConfigurationProperties(prefix = GatewayProperties.PREFIX)
public record GatewayProperties(Duration heartbeatTtl, Integer blockSize, Duration requestTimeout,
                                String tokenizerEncoding, String routingPolicy, Duration workerConnectTimeout) {

    public static final String PREFIX = "equilibria.gateway";

    public static final Duration DEFAULT_HEARTBEAT_TTL = WorkerRegistry.DEFAULT_HEARTBEAT_TTL;
    public static final int DEFAULT_BLOCK_SIZE = BlockHasher.DEFAULT_BLOCK_SIZE;
    /** Generous: a long generation at tens of tokens per second runs for minutes. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** The GPT-4 family's encoding; any BPE with a large vocabulary serves the simulated workers. */
    public static final String DEFAULT_TOKENIZER_ENCODING = "cl100k_base";
    public static final String DEFAULT_ROUTING_POLICY = RoundRobinSelector.NAME;
    /** Short, so a worker that died within its heartbeat TTL fails a request fast instead of hanging it. */
    public static final Duration DEFAULT_WORKER_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    public GatewayProperties {
        heartbeatTtl = positive(heartbeatTtl, DEFAULT_HEARTBEAT_TTL, "heartbeat-ttl");
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "request-timeout");
        workerConnectTimeout = positive(workerConnectTimeout, DEFAULT_WORKER_CONNECT_TIMEOUT,
                "worker-connect-timeout");
        blockSize = blockSize == null ? DEFAULT_BLOCK_SIZE : blockSize;
        try {
            new BlockHasher(blockSize);
        } catch (IllegalArgumentException e) {
            throw invalid("block-size", e.getMessage());
        }
        tokenizerEncoding = tokenizerEncoding == null ? DEFAULT_TOKENIZER_ENCODING : tokenizerEncoding.trim();
        if (EncodingType.fromName(tokenizerEncoding).isEmpty()) {
            throw invalid("tokenizer-encoding", "unknown encoding '" + tokenizerEncoding + "' (known: "
                    + String.join(", ", Arrays.stream(EncodingType.values()).map(EncodingType::getName).toList())
                    + ")");
        }
        routingPolicy = routingPolicy == null ? DEFAULT_ROUTING_POLICY : routingPolicy.trim();
        if (!WorkerSelectors.names().contains(routingPolicy)) {
            throw invalid("routing-policy", "unknown policy '" + routingPolicy + "' (known: "
                    + String.join(", ", WorkerSelectors.names()) + ")");
        }
    }

    /** Defaults for everything. */
    public static GatewayProperties defaults() {
        return new GatewayProperties(null, null, null, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw invalid(name, "must be positive, got " + value);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException(PREFIX + "." + name + ": " + problem);
    }
}
