package dev.equilibria.fleet.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Runs a single-node KRaft Kafka broker (broker and controller in one JVM) for the local fleet; meant to be
 * started as a child process by the launcher, stopped with SIGTERM.
 *
 * <p>Usage: {@code LocalKafkaBroker --dir DIR [--port 9092] [--controller-port 9093]}. The storage under
 * {@code DIR/data} is formatted only when its {@code meta.properties} is missing, with a cluster id generated
 * once and kept in {@code DIR/cluster-id}.
 */
public final class LocalKafkaBroker {

    /** Printed to standard output once the broker accepts clients. */
    public static final String READY_LINE = "LocalKafkaBroker ready on ";

    /** The log4j2 configuration the broker uses unless {@code log4j2.configurationFile} is given. */
    public static final String LOG_CONFIG = "dev/equilibria/fleet/kafka/broker-log4j2.xml";

    private LocalKafkaBroker() {
    }

    public static void main(String[] args) {
        // before any Kafka class touches a logger
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        BrokerSettings settings;
        try {
            settings = BrokerSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LocalKafkaBroker: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(settings);
        } catch (Exception e) {
            System.err.println("LocalKafkaBroker: the broker failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(BrokerSettings settings) throws Exception {
        Path propertiesFile = settings.writeServerProperties();
        String clusterId = clusterId(settings);
        formatIfNeeded(settings, propertiesFile, clusterId);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(settings.serverProperties(), false),
                Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("LocalKafkaBroker stopping");
            server.shutdown();
            server.awaitShutdown();
            System.out.println("LocalKafkaBroker stopped");
        }, "local-kafka-shutdown"));
        server.startup();
        System.out.println(READY_LINE + settings.bootstrapServers() + " (cluster " + clusterId + ", controller 127.0.0.1:"
                + settings.controllerPort() + ", storage " + settings.dataDirectory() + ")");
        server.awaitShutdown();
    }

    /** Reads the kept cluster id, or the one in existing storage, or generates and keeps a new one. */
    static String clusterId(BrokerSettings settings) throws IOException {
        Path file = settings.clusterIdFile();
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + System.lineSeparator(), StandardCharsets.UTF_8);
        return id;
    }

    private static void formatIfNeeded(BrokerSettings settings, Path propertiesFile, String clusterId) {
        if (Files.exists(settings.metaProperties())) {
            return;
        }
        System.out.println("LocalKafkaBroker formatting " + settings.dataDirectory() + " with cluster id " + clusterId);
        int code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString()},
                System.out);
        if (code != 0) {
            throw new IllegalStateException("formatting the Kafka storage in " + settings.dataDirectory()
                    + " failed with code " + code);
        }
    }
}
