package dev.equilibria.simulator.cli;

import dev.equilibria.simulator.workload.AzureTrace;
import dev.equilibria.simulator.workload.BundledTraces;
import dev.equilibria.simulator.workload.MooncakeTrace;
import dev.equilibria.simulator.workload.OpenLoopWorkload;
import dev.equilibria.simulator.workload.TraceScaling;
import java.nio.file.Path;

/** Which trace to replay and how: bundled or any file in the Mooncake or Azure format. */
record TraceOptions(String trace, String file, int maxRequests, int maxInputTokens, boolean spreadBursts,
                    double sharingRatio, long seed) {

    static final String HELP = """
              --trace NAME         mooncake or azure (default mooncake)
              --trace-file PATH    a file in that format instead of the bundled one
              --requests N         replay only the first N requests (default all)
              --max-input N        cap prompt lengths at N tokens (default no cap)
              --spread-bursts      spread Mooncake's same-timestamp bursts over the gap to the next one
              --sharing-ratio R    Azure: share of each prompt that is a shared prefix (default 0.5)
            """;

    static TraceOptions parse(SimOptions o, long seed) {
        return new TraceOptions(o.string("trace", "mooncake"), o.string("trace-file", null),
                o.integer("requests", Integer.MAX_VALUE), o.integer("max-input", 0),
                Boolean.parseBoolean(o.string("spread-bursts", "false")),
                o.decimal("sharing-ratio", AzureTrace.DEFAULT_SHARING_RATIO), seed);
    }

    OpenLoopWorkload workload(double speedup) {
        TraceScaling scaling = new TraceScaling(speedup, maxInputTokens, maxRequests);
        return switch (trace) {
            case "mooncake" -> {
                MooncakeTrace.Timing timing = spreadBursts ? MooncakeTrace.Timing.SPREAD_BURSTS
                        : MooncakeTrace.Timing.KEEP_BURSTS;
                yield file == null ? BundledTraces.mooncake(scaling, timing)
                        : MooncakeTrace.read(Path.of(file), scaling, timing);
            }
            case "azure" -> file == null
                    ? BundledTraces.azure(scaling, sharingRatio, AzureTrace.DEFAULT_SHARED_PREFIXES, seed)
                    : AzureTrace.read(Path.of(file), scaling, sharingRatio, AzureTrace.DEFAULT_SHARED_PREFIXES, seed);
            default -> throw new IllegalArgumentException("--trace must be mooncake or azure, got '" + trace + "'");
        };
    }

    String describe() {
        return (file == null ? trace + " (bundled)" : file) + (maxRequests == Integer.MAX_VALUE ? ""
                : ", first " + maxRequests + " requests");
    }
}
