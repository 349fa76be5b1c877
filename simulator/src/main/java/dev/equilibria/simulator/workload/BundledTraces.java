package dev.equilibria.simulator.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The traces shipped in the simulator's resources (see {@code traces/README.md} there for provenance). */
public final class BundledTraces {

    public static final String MOONCAKE = "traces/mooncake_conversation_trace.jsonl";
    public static final String AZURE = "traces/azure_llm_2023_conv.csv";

    private BundledTraces() {
    }

    public static MooncakeTrace mooncake(TraceScaling scaling, MooncakeTrace.Timing timing) {
        try (BufferedReader in = open(MOONCAKE)) {
            return new MooncakeTrace(MooncakeTrace.parse(in, MOONCAKE, scaling.maxRequests()), scaling, timing,
                    "mooncake_conversation_trace.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AzureTrace azure(TraceScaling scaling, double sharingRatio, int prefixes, long seed) {
        try (BufferedReader in = open(AZURE)) {
            List<AzureTrace.Row> rows = AzureTrace.parse(in, AZURE, scaling.maxRequests());
            return new AzureTrace(rows, scaling, sharingRatio, prefixes, seed, "azure_llm_2023_conv.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedReader open(String resource) {
        InputStream stream = BundledTraces.class.getClassLoader().getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalStateException("bundled trace " + resource + " is missing from the classpath");
        }
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }
}
