package dev.equilibria.worker.config;

import dev.equilibria.service.kafka.EventPublisher;
import dev.equilibria.worker.api.WorkerErrorAdvice;
import dev.equilibria.worker.api.WorkerLegController;
import dev.equilibria.worker.events.WorkerAnnouncer;
import dev.equilibria.worker.events.KvResync;
import dev.equilibria.worker.events.WorkerCommandListener;
import dev.equilibria.service.kafka.BrokerWatch;
import dev.equilibria.worker.host.HandoffReleaser;
import dev.equilibria.worker.host.WorkerHost;
import org.springframework.web.reactive.function.client.WebClient;
import dev.equilibria.worker.host.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Hosts the configured workers in a service: engines, HTTP legs, heartbeats, load reports, commands. */
@AutoConfiguration
@EnableConfigurationProperties(WorkerProperties.class)
@EnableScheduling
@EnableKafka
@Import({WorkerLegController.class, WorkerErrorAdvice.class})
public class WorkerRuntimeAutoConfiguration {

    static final String MAX_IN_MEMORY_SIZE = "spring.http.codecs.max-in-memory-size";

    /**
     * Room for a whole context of token ids in a leg's body ({@link LegBodyLimit}), unless
     * {@code spring.http.codecs.max-in-memory-size} is set, which then applies as usual.
     */
    @Bean
    public CodecCustomizer legBodyLimit(WorkerProperties properties, Environment environment) {
        if (environment.containsProperty(MAX_IN_MEMORY_SIZE)) {
            return configurer -> { };
        }
        int bytes = LegBodyLimit.bytes(properties.engineConfig().maxModelLen());
        return configurer -> configurer.defaultCodecs().maxInMemorySize(bytes);
    }

    @Bean
    public WorkerMetrics workerMetrics(MeterRegistry registry) {
        return new WorkerMetrics(registry);
    }

    @Bean
    public HandoffReleaser handoffReleaser(WebClient.Builder http, WorkerMetrics metrics) {
        return new HandoffReleaser(http, metrics);
    }

    @Bean
    public WorkerHost workerHost(WorkerProperties properties, EventPublisher publisher, WorkerMetrics metrics,
                                 HandoffReleaser handoffs,
                                 @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration drainTimeout) {
        WorkerHost host = new WorkerHost(properties, publisher, InstantSource.system(), metrics::stepObserver,
                handoffs);
        host.drainTimeout(drainTimeout);
        host.workers().forEach(metrics::register);
        return host;
    }

    @Bean
    public WorkerAnnouncer workerAnnouncer(WorkerHost host, EventPublisher publisher, WorkerProperties properties) {
        WorkerAnnouncer announcer = new WorkerAnnouncer(host, publisher, InstantSource.system(),
                properties.advertisedHost());
        host.onDrain(announcer::announce); // gateways stop routing here at once, not at the next beat
        return announcer;
    }

    @Bean
    public KvResync kvResync(WorkerHost host, BrokerWatch brokerWatch) {
        return new KvResync(host, brokerWatch);
    }

    @Bean
    public WorkerCommandListener workerCommandListener(WorkerHost host) {
        return new WorkerCommandListener(host);
    }
}
