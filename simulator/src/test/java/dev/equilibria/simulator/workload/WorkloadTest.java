package dev.equilibria.simulator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.protocol.kv.BlockHasher;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private final BlockHasher hasher = new BlockHasher(64);

    @Test
    void mooncakeRowsSharingLeadingIdsShareExactlyThoseBlocks() throws Exception {
        String trace = """
                {"timestamp": 0, "input_length": 1200, "output_length": 5, "hash_ids": [0, 1, 2]}
                {"timestamp": 0, "input_length": 1100, "output_length": 7, "hash_ids": [0, 1, 9]}
                {"timestamp": 3000, "input_length": 600, "output_length": 1, "hash_ids": [0, 4]}
                """;
        List<MooncakeTrace.Row> rows = MooncakeTrace.parse(new BufferedReader(new StringReader(trace)), "t", 100);
        List<SimRequest> requests = all(new MooncakeTrace(rows, TraceScaling.AS_RECORDED,
                MooncakeTrace.Timing.KEEP_BURSTS, "t").requests());

        long[] a = hasher.hash(requests.get(0).promptTokens());
        long[] b = hasher.hash(requests.get(1).promptTokens());
        long[] c = hasher.hash(requests.get(2).promptTokens());

        assertThat(requests.get(0).promptTokens()).hasSize(1200);
        assertThat(Arrays.copyOf(a, 16)).containsExactly(Arrays.copyOf(b, 16)); // ids 0 and 1: 1024 tokens
        assertThat(a[16]).isNotEqualTo(b[16]);
        assertThat(Arrays.copyOf(c, 8)).containsExactly(Arrays.copyOf(a, 8)); // id 0 only
        assertThat(c[8]).isNotEqualTo(a[8]);
        assertThat(requests).extracting(SimRequest::arrivalNanos).containsExactly(0L, 0L, 3_000_000_000L);
        assertThat(requests).extracting(SimRequest::outputTokens).containsExactly(5, 7, 1);
    }

    @Test
    void spreadingBurstsSpacesRequestsOverTheGapToTheNextTimestamp() throws Exception {
        String trace = """
                {"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [0]}
                {"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [1]}
                {"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [2]}
                {"timestamp": 3000, "input_length": 10, "output_length": 1, "hash_ids": [3]}
                """;
        List<MooncakeTrace.Row> rows = MooncakeTrace.parse(new BufferedReader(new StringReader(trace)), "t", 100);

        List<SimRequest> spread = all(new MooncakeTrace(rows, new TraceScaling(2.0, 0, 100),
                MooncakeTrace.Timing.SPREAD_BURSTS, "t").requests());

        assertThat(spread).extracting(SimRequest::arrivalNanos)
                .containsExactly(0L, 500_000_000L, 1_000_000_000L, 1_500_000_000L); // speedup 2 halves every time
    }

    @Test
    void aMalformedRowIsReportedWithItsLineNumber() {
        String trace = "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 1, \"hash_ids\": [0]}\n{oops}\n";

        assertThatThrownBy(() -> MooncakeTrace.parse(new BufferedReader(new StringReader(trace)), "t.jsonl", 100))
                .hasMessageContaining("t.jsonl:2");
    }

    @Test
    void azureTimestampsBecomeOffsetsAndPromptsGetTheirSharedPrefix() throws Exception {
        String trace = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.6805900,640,44\n"
                + "2023-11-16 18:15:50.9951690,1280,109";
        List<AzureTrace.Row> rows = AzureTrace.parse(new BufferedReader(new StringReader(trace)), "a", 100);
        List<SimRequest> requests = all(new AzureTrace(rows, TraceScaling.AS_RECORDED, 0.5, 1, 7, "a").requests());

        assertThat(rows.get(1).offsetNanos()).isEqualTo(4_314_579_000L);
        assertThat(requests.get(1).promptTokens()).hasSize(1280);
        long[] a = hasher.hash(requests.get(0).promptTokens());
        long[] b = hasher.hash(requests.get(1).promptTokens());
        assertThat(Arrays.copyOf(a, 5)).containsExactly(Arrays.copyOf(b, 5)); // 320 shared tokens = 5 blocks
        assertThat(a[5]).isNotEqualTo(b[5]);
    }

    @Test
    void bundledTracesLoadFromTheClasspath() {
        MooncakeTrace mooncake = BundledTraces.mooncake(new TraceScaling(1, 0, 50), MooncakeTrace.Timing.KEEP_BURSTS);
        AzureTrace azure = BundledTraces.azure(new TraceScaling(1, 0, 50), 0.5, 16, 1);

        assertThat(mooncake.rows()).hasSize(50);
        assertThat(mooncake.rows().get(0).inputLength()).isEqualTo(6758);
        assertThat(azure.rows()).hasSize(50);
        assertThat(azure.rows().get(0).contextTokens()).isEqualTo(374);
    }

    @Test
    void gammaArrivalsHaveTheRequestedRateAndBurstiness() {
        double rate = 20;
        for (double shape : new double[] {1.0, 0.25}) {
            List<SimRequest> requests = all(new SyntheticArrivals(rate, shape, 20_000, 16, 1, 0, 1, 3).requests());
            double[] gaps = new double[requests.size() - 1];
            for (int i = 1; i < requests.size(); i++) {
                gaps[i - 1] = (requests.get(i).arrivalNanos() - requests.get(i - 1).arrivalNanos()) / 1e9;
            }
            double mean = Arrays.stream(gaps).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow());
            assertThat(mean).isCloseTo(1 / rate, org.assertj.core.data.Percentage.withPercentage(5));
            assertThat(sd / mean).isCloseTo(1 / Math.sqrt(shape), org.assertj.core.data.Percentage.withPercentage(8));
        }
    }

    @Test
    void thePaperWorkloadDrawsFromFiveSharedTemplates() {
        PaperWorkload paper = PaperWorkload.withConcurrency(8, 1);
        java.util.Set<Long> firstBlocks = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            SimRequest r = paper.next(i % 8, 0);
            assertThat(r.promptTokens()).hasSize(128);
            assertThat(r.outputTokens()).isEqualTo(128);
            firstBlocks.add(hasher.hash(r.promptTokens())[0]);
        }
        assertThat(firstBlocks).hasSize(5);
    }

    @Test
    void spreadOutputLengthsAreUniformAroundTheMeanAndAFixedLengthLeavesTheTemplateSequenceAlone() {
        PaperWorkload fixed = PaperWorkload.withConcurrency(8, 1);
        PaperWorkload spread = new PaperWorkload(8, PaperWorkload.DEFAULT_TEMPLATES,
                PaperWorkload.DEFAULT_PROMPT_TOKENS, new OutputLength(128, 32), 1);
        PaperWorkload fixedExplicit = new PaperWorkload(8, PaperWorkload.DEFAULT_TEMPLATES,
                PaperWorkload.DEFAULT_PROMPT_TOKENS, OutputLength.fixed(128), 1);
        java.util.IntSummaryStatistics lengths = new java.util.IntSummaryStatistics();
        for (int i = 0; i < 20_000; i++) {
            lengths.accept(spread.next(i % 8, 0).outputTokens());
            assertThat(fixedExplicit.next(i % 8, 0).promptTokens()).isEqualTo(fixed.next(i % 8, 0).promptTokens());
        }
        assertThat(lengths.getMin()).isEqualTo(96);
        assertThat(lengths.getMax()).isEqualTo(160);
        assertThat(lengths.getAverage()).isCloseTo(128, org.assertj.core.data.Offset.offset(0.5));
        assertThat(spread.describe()).contains("96-160 output tokens (uniform, mean 128)");

        assertThatThrownBy(() -> new OutputLength(128, 128)).hasMessageContaining("from 0 to 127");
        assertThatThrownBy(() -> new OutputLength(0, 0)).hasMessageContaining("positive");
    }

    private static List<SimRequest> all(Iterator<SimRequest> it) {
        List<SimRequest> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
