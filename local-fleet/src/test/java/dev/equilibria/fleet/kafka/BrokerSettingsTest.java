package dev.equilibria.fleet.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSettingsTest {

    @TempDir
    Path dir;

    @Test
    void aSingleNodeKraftBrokerOnLoopbackWithReplicationOne() {
        Properties p = new BrokerSettings(dir, 9192, 9193).serverProperties();

        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9193");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9192");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("true");
        assertThat(p.getProperty("num.partitions")).isEqualTo("1");
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("log.dirs")).isEqualTo(dir.resolve("data").toAbsolutePath().toString());
        assertThat(Long.parseLong(p.getProperty("log.retention.ms"))).isEqualTo(3_600_000L);
    }

    @Test
    void roundTripsThroughItsArguments() {
        BrokerSettings settings = new BrokerSettings(dir, 9500, 9501);

        assertThat(BrokerSettings.parse(settings.toArguments().toArray(String[]::new))).isEqualTo(settings);
        assertThat(BrokerSettings.parse(new String[] {"--dir", dir.toString()}))
                .isEqualTo(new BrokerSettings(dir, 9092, 9093));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> BrokerSettings.parse(new String[] {"--port", "1"})).hasMessageContaining("--dir is required");
        assertThatThrownBy(() -> BrokerSettings.parse(new String[] {"--dir"})).hasMessageContaining("--dir needs a value");
        assertThatThrownBy(() -> BrokerSettings.parse(new String[] {"--dir", "d", "--port", "x"}))
                .hasMessageContaining("--port must be a number");
        assertThatThrownBy(() -> new BrokerSettings(dir, 9092, 9092)).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new BrokerSettings(dir, 70000, 9093)).hasMessageContaining("1..65535");
    }

    @Test
    void writesTheServerPropertiesAndKeepsTheClusterId() throws Exception {
        BrokerSettings settings = new BrokerSettings(dir, 9192, 9193);

        Path file = settings.writeServerProperties();
        Properties written = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            written.load(reader);
        }
        assertThat(written).isEqualTo(settings.serverProperties());

        String id = LocalKafkaBroker.clusterId(settings);
        assertThat(id).hasSize(22);
        assertThat(LocalKafkaBroker.clusterId(settings)).isEqualTo(id);
    }
}
