package dev.equilibria.fleet.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The configuration of the single-node KRaft broker the local fleet runs: broker and controller in one
 * process on 127.0.0.1, replication factors 1, small retention, storage under one directory.
 *
 * @param directory      holds {@code server.properties}, {@code cluster-id} and the {@code data/} log directory
 * @param port           the client (PLAINTEXT) port
 * @param controllerPort the KRaft controller port
 */
public record BrokerSettings(Path directory, int port, int controllerPort) {

    /** The client port when no offset is applied. */
    public static final int DEFAULT_PORT = 9092;
    /** The controller port when no offset is applied. */
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    /** The one node of the quorum. */
    public static final int NODE_ID = 1;
    /** Local runs keep an hour of events: enough to rebuild indexes, small enough to never fill a laptop disk. */
    public static final long RETENTION_MS = 60L * 60 * 1000;
    /** And at most this many bytes per partition. */
    public static final long RETENTION_BYTES = 256L * 1024 * 1024;
    /** Small segments so retention can actually delete something in a local run. */
    public static final int SEGMENT_BYTES = 16 * 1024 * 1024;

    public BrokerSettings {
        directory = directory.toAbsolutePath().normalize();
        checkPort("port", port);
        checkPort("controller port", controllerPort);
        if (port == controllerPort) {
            throw new IllegalArgumentException("the broker port and the controller port must differ, both are " + port);
        }
    }

    private static void checkPort(String name, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(name + " must be within 1..65535, got " + value);
        }
    }

    /** The address clients use. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDirectory() {
        return directory.resolve("data");
    }

    /** Written by the storage format; its absence means the storage still has to be formatted. */
    public Path metaProperties() {
        return dataDirectory().resolve("meta.properties");
    }

    /** The cluster id, generated once and kept, since formatting again with another id fails. */
    public Path clusterIdFile() {
        return directory.resolve("cluster-id");
    }

    public Path serverPropertiesFile() {
        return directory.resolve("server.properties");
    }

    public Properties serverProperties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDirectory().toString());

        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");

        p.setProperty("log.retention.ms", Long.toString(RETENTION_MS));
        p.setProperty("log.retention.bytes", Long.toString(RETENTION_BYTES));
        p.setProperty("log.segment.bytes", Integer.toString(SEGMENT_BYTES));
        p.setProperty("log.retention.check.interval.ms", "60000");
        // the cleaner's default 128 MiB dedupe buffer would take a quarter of the broker's local heap
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        return p;
    }

    /** Writes {@link #serverProperties()} to {@link #serverPropertiesFile()}, creating the directories. */
    public Path writeServerProperties() throws IOException {
        Files.createDirectories(dataDirectory());
        Path file = serverPropertiesFile();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            serverProperties().store(out, "single-node KRaft broker of the local Equilibria fleet; rewritten on every start");
        }
        return file;
    }

    /** The arguments {@link LocalKafkaBroker#main} reads back into these settings. */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        args.add("--dir");
        args.add(directory.toString());
        args.add("--port");
        args.add(Integer.toString(port));
        args.add("--controller-port");
        args.add(Integer.toString(controllerPort));
        return args;
    }

    /** Reads {@code --dir DIR [--port N] [--controller-port N]}. */
    public static BrokerSettings parse(String[] args) {
        Path dir = null;
        int port = DEFAULT_PORT;
        int controllerPort = DEFAULT_CONTROLLER_PORT;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--dir" -> dir = Path.of(value);
                case "--port" -> port = parseInt(name, value);
                case "--controller-port" -> controllerPort = parseInt(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + "; usage: LocalKafkaBroker --dir DIR [--port N] [--controller-port N]");
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        return new BrokerSettings(dir, port, controllerPort);
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }
}
