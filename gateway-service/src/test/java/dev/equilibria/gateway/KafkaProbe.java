package dev.equilibria.gateway;

import dev.equilibria.protocol.event.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads and writes events on the test broker the way other fleet services would. */
final class KafkaProbe {

    private KafkaProbe() {
    }

    /** Reads the topic from the beginning until {@code count} matching events arrived, or the wait ran out. */
    static <T> List<T> read(String brokers, String topic, Class<T> type, Predicate<T> matching, int count,
                            Duration wait) {
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + wait.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    T event = EventCodec.decode(record.value(), type);
                    if (matching.test(event)) {
                        found.add(event);
                    }
                }
            }
        }
        return found;
    }

    static void send(String brokers, String topic, String key, Object event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, EventCodec.encode(event)));
            producer.flush();
        }
    }
}
