package dev.equilibria.gateway.config;

import dev.equilibria.gateway.pipeline.WorkerClient;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.admission.WorkerLimits;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.index.ApproximateKvIndex;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.TrafficWindow;
import dev.equilibria.routing.orchestration.LegRouter;
import dev.equilibria.routing.policy.RoutingWeights;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Builds the plain-Java parts of the gateway (registry, KV index, ledger, router, live router config, tokenizer,
 * hasher, worker client) from its settings, with the wall clock and a random source: the only place they are
 * chosen.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
@EnableScheduling
public class GatewayConfiguration {

    @Bean
    public InstantSource gatewayClock() {
        return InstantSource.system();
    }

    /**
     * The live workers. Defined here so the gateway's own {@code heartbeat-ttl} applies; service-support's fleet
     * membership listener (one consumer group per instance) feeds it from the heartbeats topic.
     */
    @Bean
    public WorkerRegistry workerRegistry(InstantSource gatewayClock, GatewayProperties properties) {
        return new WorkerRegistry(gatewayClock, properties.heartbeatTtl());
    }

    @Bean
    public KvIndex kvIndex(InstantSource gatewayClock, GatewayProperties properties) {
        GatewayProperties.KvIndexSettings settings = properties.kvIndex();
        return KvIndex.APPROXIMATE.equals(settings.mode())
                ? new ApproximateKvIndex(gatewayClock, settings.approximateTtl())
                : new KvEventIndex(gatewayClock, settings.snapshotRetry());
    }

    @Bean
    public LoadLedger loadLedger(InstantSource gatewayClock, GatewayProperties properties) {
        return new LoadLedger(properties.id(), gatewayClock, properties.ledger().peerTtl(),
                properties.ledger().keepaliveInterval());
    }

    @Bean
    public RoutingWeights routingWeights() {
        return new RoutingWeights();
    }

    @Bean
    public TrafficWindow trafficWindow(InstantSource gatewayClock) {
        return new TrafficWindow(gatewayClock);
    }

    @Bean
    public WorkerLimits workerLimits(GatewayProperties properties) {
        return new WorkerLimits(properties.admission().maxInflightPerWorker(),
                properties.admission().maxQueuedPrefillTokensPerWorker());
    }

    /** Seeded when {@code router.seed} is set (reproducible runs), else per-thread randomness. */
    @Bean
    public RandomGenerator routerRandom(GatewayProperties properties) {
        Long seed = properties.router().seed();
        if (seed == null) {
            return () -> ThreadLocalRandom.current().nextLong();
        }
        SplittableRandom seeded = new SplittableRandom(seed);
        return new RandomGenerator() {
            @Override
            public synchronized long nextLong() {
                return seeded.nextLong();
            }
        };
    }

    @Bean
    public LegRouter legRouter(KvIndex kvIndex, LoadLedger loadLedger, RoutingWeights routingWeights,
                               RandomGenerator routerRandom, InstantSource gatewayClock) {
        return new LegRouter(kvIndex, loadLedger, routingWeights, routerRandom, System::nanoTime, gatewayClock);
    }

    @Bean
    public RouterConfigStore routerConfigStore(GatewayProperties properties) {
        return new RouterConfigStore(properties.router().toConfig());
    }

    @Bean
    public Tokenizer tokenizer(GatewayProperties properties) {
        return new Tokenizer(properties.tokenizerEncoding());
    }

    @Bean
    public BlockHasher blockHasher(GatewayProperties properties) {
        return new BlockHasher(properties.blockSize());
    }

    @Bean(destroyMethod = "close")
    public WorkerClient workerClient(GatewayProperties properties) {
        return new WorkerClient(properties.workerConnectTimeout());
    }
}
