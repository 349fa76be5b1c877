package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadSourceTest {

    @Test
    void thePaperWorkloadDrawsFromItsTemplatesWithTheFixedOutputLength() {
        WorkloadSource source = WorkloadSource.of(BenchOptions.parse(new String[] {"--concurrency", "3",
                "--output-tokens", "7", "--templates", "2", "--prompt-tokens", "64"}, Map.of()));

        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            BenchRequest r = source.next(i % 3).orElseThrow();
            assertThat(r.maxTokens()).isEqualTo(7);
            assertThat(r.promptTokens()).hasSize(64);
            prompts.add(r.promptTokens());
        }
        assertThat(source.closedLoop()).isTrue();
        assertThat(source.clients()).isEqualTo(3);
        assertThat(prompts.stream().map(java.util.Arrays::toString).distinct()).hasSize(2);
    }

    @Test
    void theMooncakeTraceReplaysInArrivalOrderWithSharedPrefixesAndCappedLengths() {
        WorkloadSource source = WorkloadSource.of(BenchOptions.parse(new String[] {"--workload", "mooncake",
                "--requests", "50", "--speedup", "2", "--max-input-tokens", "1024", "--max-output-tokens", "8"},
                Map.of()));

        List<BenchRequest> requests = new ArrayList<>();
        Optional<BenchRequest> next;
        while ((next = source.next(-1)).isPresent()) {
            requests.add(next.get());
        }
        assertThat(source.closedLoop()).isFalse();
        assertThat(requests).hasSize(50);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.promptTokens().length).isLessThanOrEqualTo(1024);
            assertThat(r.maxTokens()).isBetween(1, 8);
        });
        for (int i = 1; i < requests.size(); i++) {
            assertThat(requests.get(i).arrivalNanos()).isGreaterThanOrEqualTo(requests.get(i - 1).arrivalNanos());
        }
        // the trace's conversations share 512-token blocks: some prompts start with the same tokens
        long distinctFirstBlocks = requests.stream()
                .map(r -> java.util.Arrays.toString(java.util.Arrays.copyOf(r.promptTokens(), 16))).distinct().count();
        assertThat(distinctFirstBlocks).isLessThan(50);
    }

    @Test
    void poissonArrivalsStopAtTheRequestLimit() {
        WorkloadSource source = WorkloadSource.of(BenchOptions.parse(new String[] {"--workload", "poisson", "--rate",
                "100", "--requests", "10"}, Map.of()));

        int n = 0;
        while (source.next(-1).isPresent()) {
            n++;
        }
        assertThat(n).isEqualTo(10);
    }
}
