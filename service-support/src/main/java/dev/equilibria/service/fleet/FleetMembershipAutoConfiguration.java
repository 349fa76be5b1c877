package dev.equilibria.service.fleet;

import dev.equilibria.routing.registry.WorkerRegistry;
import dev.equilibria.service.kafka.BrokerWatch;
import org.springframework.beans.factory.ObjectProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.EnableKafka;

/** Gives services that have the routing library a live worker registry fed by heartbeats. */
@AutoConfiguration
@ConditionalOnClass(WorkerRegistry.class)
@EnableKafka
public class FleetMembershipAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public WorkerRegistry workerRegistry(
            @Value("${equilibria.fleet.heartbeat-ttl:3s}") Duration heartbeatTtl) {
        return new WorkerRegistry(InstantSource.system(), heartbeatTtl);
    }

    @Bean
    @ConditionalOnMissingBean
    public FleetMembership fleetMembership(WorkerRegistry registry, MeterRegistry meters,
                                           ObjectProvider<BrokerWatch> broker) {
        FleetMembership membership = new FleetMembership(registry, meters);
        // a silent broker is not a dead fleet: freeze liveness while it is away (see WorkerRegistry#feedDown)
        broker.ifAvailable(watch -> watch.onChange(up -> {
            if (up) {
                registry.feedUp();
            } else {
                registry.feedDown();
            }
        }));
        return membership;
    }
}
