package dev.equilibria.service.kafka;

import dev.equilibria.protocol.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/** Creates the fleet's topics and the beans every service uses to talk over Kafka. */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
public class FleetKafkaAutoConfiguration {

    /** Partitions of worker-keyed topics: enough for a large fleet, each worker's events stay on one. */
    public static final int KEYED_TOPIC_PARTITIONS = 8;

    @Bean
    public KafkaAdmin.NewTopics equilibriaTopics() {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream()
                .map(name -> TopicBuilder.name(name).partitions(partitionsOf(name)).replicas(1).build())
                .toArray(NewTopic[]::new));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EventPublisher eventPublisher(KafkaTemplate<String, String> kafkaTemplate, MeterRegistry registry) {
        return new EventPublisher(kafkaTemplate, registry);
    }

    @Bean
    @ConditionalOnMissingBean
    public BrokerWatch brokerWatch(KafkaAdmin admin, MeterRegistry registry,
                                   @Value("${equilibria.kafka.broker-check-interval:500ms}") Duration interval,
                                   @Value("${equilibria.kafka.broker-check-timeout:1s}") Duration timeout) {
        return new BrokerWatch(admin.getConfigurationProperties(), interval, timeout, registry);
    }

    @Bean(name = "kafkaHealthIndicator")
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    public KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
        return new KafkaHealthIndicator(admin);
    }

    @Bean(name = "kafkaReachedHealthIndicator")
    @ConditionalOnMissingBean(name = "kafkaReachedHealthIndicator")
    public KafkaReachedHealthIndicator kafkaReachedHealthIndicator(BrokerWatch brokerWatch) {
        return new KafkaReachedHealthIndicator(brokerWatch);
    }

    /** Config topics are single-partition so every reader sees one total order of changes. */
    static int partitionsOf(String topic) {
        return topic.equals(Topics.ROUTER_CONFIG) || topic.equals(Topics.ALLOCATIONS) ? 1 : KEYED_TOPIC_PARTITIONS;
    }
}
