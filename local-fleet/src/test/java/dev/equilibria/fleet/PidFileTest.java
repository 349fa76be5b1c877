package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void keepsEntriesInOrderAndReplacesOneOfTheSameName() {
        PidFile pids = new PidFile(dir.resolve("pids"));
        pids.add(new PidFile.Entry("kafka", 10, 1000, List.of(9092, 9093)));
        pids.add(new PidFile.Entry("gateway-service", 11, 2000, List.of(8080)));
        pids.add(new PidFile.Entry("launcher", 12, 3000, List.of()));
        pids.add(new PidFile.Entry("gateway-service", 13, 4000, List.of(8180)));

        assertThat(pids.read()).containsExactly(
                new PidFile.Entry("kafka", 10, 1000, List.of(9092, 9093)),
                new PidFile.Entry("launcher", 12, 3000, List.of()),
                new PidFile.Entry("gateway-service", 13, 4000, List.of(8180)));
    }

    @Test
    void noFileMeansNoEntries() {
        PidFile pids = new PidFile(dir.resolve("pids"));
        assertThat(pids.exists()).isFalse();
        assertThat(pids.read()).isEmpty();
        pids.delete();
    }

    @Test
    void theCurrentProcessIsAliveAndAReusedPidIsNot() {
        ProcessHandle self = ProcessHandle.current();
        PidFile.Entry entry = PidFile.Entry.of("launcher", self, List.of());
        assertThat(entry.process()).contains(self);

        long startedElsewhen = entry.startEpochMs() - 3_600_000;
        assertThat(new PidFile.Entry("launcher", self.pid(), startedElsewhen, List.of()).process()).isEmpty();
    }

    @Test
    void anEndedProcessIsNotAlive() throws Exception {
        Process process = new ProcessBuilder(JavaCommand.javaExecutable().toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        PidFile.Entry entry = PidFile.Entry.of("short", process.toHandle(), List.of());
        process.waitFor();

        PidFile pids = new PidFile(dir.resolve("pids"));
        pids.add(entry);
        assertThat(pids.alive()).isEmpty();
    }

    @Test
    void aDamagedFileGivesAClearMessage() throws Exception {
        Path file = dir.resolve("pids");
        Files.writeString(file, "kafka twelve\n");

        assertThatThrownBy(() -> new PidFile(file).read())
                .isInstanceOf(FleetException.class)
                .hasMessageContaining(file.toString());
    }
}
