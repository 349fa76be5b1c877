package dev.equilibria.fleet.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.fleet.JavaCommand;
import dev.equilibria.fleet.PortCheck;
import dev.equilibria.fleet.ServiceProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the broker main as the launcher does, as a child JVM, and talks to it with plain Kafka clients. */
class LocalKafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void formatsOnceServesARoundTripStopsOnSigtermAndStartsAgainOnTheSameStorage() throws Exception {
        BrokerSettings settings = new BrokerSettings(dir.resolve("kafka"), freePort(), freePort());
        Path log = dir.resolve("logs/kafka.log");

        ServiceProcess broker = start(settings, log);
        try {
            assertThat(KafkaReadiness.await(settings.bootstrapServers(), Duration.ofSeconds(60), broker::isAlive))
                    .as("broker ready; log:%n%s", broker.logTail(40)).isTrue();
            assertThat(settings.metaProperties()).exists();
            String clusterId = Files.readString(settings.clusterIdFile()).trim();

            String topic = "fleet-it-" + UUID.randomUUID();
            produce(settings, topic, "hello", "kafka");
            assertThat(consume(settings, topic, 1)).containsExactly("hello=kafka");

            assertThat(broker.stop(Duration.ofSeconds(30))).as("stopped by SIGTERM").isTrue();
            assertThat(PortCheck.awaitFree(List.of(settings.port(), settings.controllerPort()), Duration.ofSeconds(10)))
                    .isEmpty();
            assertThat(Files.readString(log)).contains(LocalKafkaBroker.READY_LINE, "LocalKafkaBroker stopped");

            // up after down: the storage is kept, not formatted again, and the data survives
            broker = start(settings, log);
            assertThat(KafkaReadiness.await(settings.bootstrapServers(), Duration.ofSeconds(60), broker::isAlive))
                    .as("broker ready again; log:%n%s", broker.logTail(40)).isTrue();
            assertThat(Files.readString(log)).doesNotContain("formatting").contains(clusterId);
            assertThat(consume(settings, topic, 1)).containsExactly("hello=kafka");
        } finally {
            broker.stop(Duration.ofSeconds(30));
        }
        assertThat(broker.isAlive()).isFalse();
        assertThat(PortCheck.awaitFree(List.of(settings.port(), settings.controllerPort()), Duration.ofSeconds(10)))
                .isEmpty();
    }

    private static ServiceProcess start(BrokerSettings settings, Path log) {
        return ServiceProcess.start("kafka", JavaCommand.main(LocalKafkaBroker.class.getName(),
                JavaCommand.BROKER_JVM_OPTIONS, settings.toArguments()), Map.of(), settings.directory().getParent(), log,
                List.of(settings.port(), settings.controllerPort()));
    }

    private static void produce(BrokerSettings settings, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000),
                new StringSerializer(), new StringSerializer())) {
            // the topic does not exist yet: auto-creation must be on
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> consume(BrokerSettings settings, String topic, int expected) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "fleet-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(record.key() + "=" + record.value());
                }
            }
        }
        return seen;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
