package dev.equilibria.gateway.config;

import dev.equilibria.gateway.pipeline.WorkerClient;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.policy.WorkerSelector;
import dev.equilibria.routing.policy.WorkerSelectors;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.time.InstantSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the plain-Java parts of the gateway (registry, policy, tokenizer, hasher, worker client) from its settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
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
    public WorkerSelector workerSelector(GatewayProperties properties) {
        return WorkerSelectors.create(properties.routingPolicy());
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
