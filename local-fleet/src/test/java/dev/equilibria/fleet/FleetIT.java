package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole local fleet, as {@code ./fleet up --detach} and {@code ./fleet down} run it: a KRaft broker and the
 * five services from their executable jars, on offset ports and a temporary home so a developer's own fleet keeps
 * running. A streamed completion must come back through the gateway, and heartbeats must cross Kafka.
 */
class FleetIT {

    private static final int MAX_TOKENS = 16;

    @TempDir
    Path home;

    @Test
    void upStreamsACompletionAndDownLeavesNothingBehind() throws Exception {
        Path root = FleetTests.repositoryRoot();
        int offset = FleetTests.freeOffset(1000, 97);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EQUILIBRIA_ADMIN_TOKEN");
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--detach", "--port-offset",
                Integer.toString(offset), "--home", home.toString()}, env, root);
        PrintStream out = System.out;

        Fleet fleet = new Fleet(options, env, out);
        RunningFleet running = fleet.up(false);
        List<ProcessHandle> processes = running.processes().stream().map(ServiceProcess::handle).toList();
        Set<Integer> ports = new LinkedHashSet<>(List.of(options.kafkaPort(), options.kafkaControllerPort()));
        running.services().forEach(s -> ports.add(s.port()));
        fleet.detach();
        boolean downRan = false;
        try {
            FleetCommand.printReady(running, out);
            assertThat(processes).hasSize(6).allMatch(ProcessHandle::isAlive);
            assertThat(new PidFile(options.layout().pidFile()).alive()).hasSize(6);
            assertThat(Files.readString(options.layout().adminTokenFile()).trim()).isEqualTo(running.adminToken().value());
            assertThat(running.model()).isNotBlank();

            assertStreamedCompletion(running);
            assertHeartbeatsCrossedKafka(running.bootstrap());

            downRan = true;
            assertThat(Fleet.down(options.layout(), out)).isZero();
        } finally {
            if (!downRan) {
                Fleet.down(options.layout(), out);
            }
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(PortCheck.awaitFree(ports, Duration.ofSeconds(5))).as("ports still listening").isEmpty();
        assertThat(options.layout().pidFile()).doesNotExist();
        assertThat(options.layout().log("gateway-service")).exists();
        assertThat(options.layout().log("kafka")).exists();
    }

    private static void assertStreamedCompletion(RunningFleet running) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(running.gatewayUrl() + "/v1/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        RunningFleet.completionRequest(running.model(), "Tell me about the price of anarchy.", MAX_TOKENS)))
                .build();

        HttpResponse<java.util.stream.Stream<String>> response = client.send(request,
                HttpResponse.BodyHandlers.ofLines());
        List<String> lines;
        try (var stream = response.body()) {
            lines = stream.toList();
        }
        assertThat(response.statusCode()).as("status; body:%n%s", String.join("\n", lines)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));

        List<String> data = lines.stream().filter(l -> l.startsWith("data:"))
                .map(l -> l.substring("data:".length()).trim()).toList();
        assertThat(data).as("SSE data lines").isNotEmpty();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        assertThat(data.subList(0, data.size() - 1)).doesNotContain("[DONE]");

        int textChunks = 0;
        Integer usageTokens = null;
        StringBuilder text = new StringBuilder();
        for (String json : data.subList(0, data.size() - 1)) {
            JsonNode chunk = EventCodec.mapper().readTree(json);
            assertThat(chunk.has("error")).as("error chunk: %s", json).isFalse();
            JsonNode choices = chunk.path("choices");
            if (choices.isArray() && !choices.isEmpty()) {
                String piece = choices.get(0).path("text").asString("");
                if (!piece.isEmpty()) {
                    textChunks++;
                    text.append(piece);
                }
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject() && usage.has("completion_tokens")) {
                usageTokens = usage.path("completion_tokens").asInt();
            }
        }
        assertThat(text.toString()).isNotBlank();
        if (usageTokens != null) {
            assertThat(usageTokens).as("usage.completion_tokens").isEqualTo(MAX_TOKENS);
        } else {
            assertThat(textChunks).as("one chunk per generated token").isEqualTo(MAX_TOKENS);
        }
    }

    private static void assertHeartbeatsCrossedKafka(String bootstrap) {
        Map<String, WorkerRole> workers = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.HEARTBEATS, Duration.ofSeconds(10));
            assertThat(partitions).as("partitions of " + Topics.HEARTBEATS).isNotEmpty();
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (workers.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    WorkerHeartbeat heartbeat = EventCodec.decode(record.value(), WorkerHeartbeat.class);
                    workers.put(heartbeat.workerId(), heartbeat.role());
                }
            }
        }
        assertThat(workers).as("workers heard on " + Topics.HEARTBEATS).hasSize(3);
        Map<WorkerRole, Long> byRole = workers.values().stream()
                .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
        assertThat(byRole).containsEntry(WorkerRole.PREFILL, 1L).containsEntry(WorkerRole.DECODE, 2L);
    }
}
