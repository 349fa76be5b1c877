package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtraWorkerProcessTest {

    @TempDir
    Path root;

    @Test
    void upStartsNoExtraProcessByDefault() {
        FleetOptions options = FleetOptions.parse(new String[] {"up"}, Map.of(), root);

        assertThat(options.extraWorkerProcesses()).isEmpty();
        assertThat(ServiceSpec.fleet(options, "k:1", "t")).hasSize(5);
    }

    @Test
    void anExtraDecodeProcessRunsTheDecodeJarOnItsOwnPortWithItsOwnPrefix() {
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--port-offset", "100", "--time-scale", "0.5"},
                Map.of(), root).withExtraWorkerProcesses(List.of(ExtraWorkerProcess.decode(1, "decode-x"),
                ExtraWorkerProcess.decode(2, "decode-y")));

        List<ServiceSpec> specs = ServiceSpec.fleet(options, "k:1", "t");

        assertThat(specs).extracting(ServiceSpec::name).containsExactly("gateway-service", "prefill-service",
                "decode-service", "allocator-service", "monitor-service", "decode-service-2", "decode-service-3");
        ServiceSpec extra = specs.get(5);
        assertThat(extra.module()).isEqualTo("decode-service");
        assertThat(extra.port()).isEqualTo(8185);
        assertThat(extra.env()).containsEntry("SERVER_PORT", "8185").containsEntry("EQUILIBRIA_WORKER_COUNT", "1")
                .containsEntry("EQUILIBRIA_WORKER_ID_PREFIX", "decode-x")
                .containsEntry("EQUILIBRIA_WORKER_TIME_SCALE", "0.5").containsEntry("KAFKA_BOOTSTRAP_SERVERS", "k:1");
        assertThat(specs.get(6).port()).isEqualTo(8186);
        assertThat(specs.get(6).env()).containsEntry("EQUILIBRIA_WORKER_COUNT", "2");
        assertThat(options.topology()).contains("+ 1 decode worker (decode-x-*) in another process");
    }

    @Test
    void prefixesMustBeDistinctAndNotThePoolsOwn() {
        assertThatThrownBy(() -> ExtraWorkerProcess.decode(1, "decode")).hasMessageContaining("differ from");
        assertThatThrownBy(() -> new ExtraWorkerProcess("gateway-service", 1, "g")).hasMessageContaining("runs");
        FleetOptions options = FleetOptions.parse(new String[] {"up"}, Map.of(), root);
        assertThatThrownBy(() -> options.withExtraWorkerProcesses(List.of(ExtraWorkerProcess.decode(1, "x"),
                ExtraWorkerProcess.decode(1, "x")))).hasMessageContaining("distinct");
    }
}
