package dev.equilibria.allocator.config;

import dev.equilibria.allocator.actuation.Actuator;
import dev.equilibria.allocator.actuation.KubernetesActuator;
import dev.equilibria.allocator.actuation.LocalActuator;
import dev.equilibria.allocator.api.AllocatorAdminController;
import dev.equilibria.allocator.decision.AllocatorLoop;
import dev.equilibria.allocator.decision.AllocatorSettings;
import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.allocator.inputs.CapacityAlertBoard;
import dev.equilibria.allocator.inputs.DecisionLogReader;
import dev.equilibria.allocator.inputs.WorkerLoadBoard;
import dev.equilibria.allocator.metrics.AllocatorMetrics;
import dev.equilibria.control.forecast.DemandEstimator;
import dev.equilibria.routing.registry.WorkerRegistry;
import dev.equilibria.service.kafka.EventPublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the allocator from its settings: models, inputs, the actuator chosen by {@code actuator}, the loop. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AllocatorProperties.class)
@OpenAPIDefinition(info = @Info(title = "Equilibria allocator admin API", version = "1",
        description = "The prefill/decode split, its game analysis, budget, SLOs and actuation. Every path needs "
                + "the admin bearer token (EQUILIBRIA_ADMIN_TOKEN). Errors are RFC 7807 problem documents."))
@SecurityScheme(name = AllocatorAdminController.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer")
public class AllocatorConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public InstantSource allocatorClock() {
        return InstantSource.system();
    }

    @Bean
    public AllocatorModels allocatorModels(AllocatorProperties properties) {
        return AllocatorModels.of(properties);
    }

    @Bean
    public AllocatorSettings allocatorSettings(AllocatorProperties properties) {
        return new AllocatorSettings(properties);
    }

    @Bean
    public DemandTracker demandTracker(AllocatorProperties properties, AllocatorModels models) {
        DemandEstimator.Params params = new DemandEstimator.Params(properties.demand().window(),
                properties.blockSize(), DemandEstimator.DEFAULT_MAX_SAMPLES);
        return new DemandTracker(params, models.loadBased(), properties.timeScale(),
                properties.demand().loadFallback());
    }

    @Bean
    public DecisionLogReader decisionLogReader(DemandTracker demand, MeterRegistry registry) {
        return new DecisionLogReader(demand, registry);
    }

    @Bean
    public CapacityAlertBoard capacityAlertBoard() {
        return new CapacityAlertBoard();
    }

    @Bean
    public AllocatorMetrics allocatorMetrics(MeterRegistry registry, AllocatorSettings settings,
                                             CapacityAlertBoard alerts) {
        return new AllocatorMetrics(registry, settings, alerts);
    }

    @Bean
    @ConditionalOnProperty(prefix = AllocatorProperties.PREFIX, name = "actuator", havingValue = "local",
            matchIfMissing = true)
    public Actuator localActuator(EventPublisher publisher, AllocatorProperties properties, MeterRegistry registry) {
        return new LocalActuator(publisher, properties.actuationTimeout(), registry);
    }

    /** From the pod's service account in a cluster, or the kubeconfig outside one. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = AllocatorProperties.PREFIX, name = "actuator", havingValue = "kubernetes")
    @ConditionalOnMissingBean
    public KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    @ConditionalOnProperty(prefix = AllocatorProperties.PREFIX, name = "actuator", havingValue = "kubernetes")
    public Actuator kubernetesActuator(ObjectProvider<KubernetesClient> client, AllocatorProperties properties,
                                       MeterRegistry registry) {
        return new KubernetesActuator(client.getObject(), properties.kubernetes(), properties.actuationTimeout(),
                registry);
    }

    @Bean
    public AllocatorLoop allocatorLoop(AllocatorProperties properties, AllocatorSettings settings,
                                       AllocatorModels models, WorkerRegistry registry, WorkerLoadBoard loads,
                                       DemandTracker demand, CapacityAlertBoard alerts, Actuator actuator,
                                       EventPublisher publisher, AllocatorMetrics metrics, InstantSource clock) {
        return new AllocatorLoop(properties, settings, models, registry, loads, demand, alerts, actuator, publisher,
                metrics, clock);
    }
}
