package dev.equilibria.fleet.bench;

import dev.equilibria.simulator.workload.AzureTrace;
import dev.equilibria.simulator.workload.BundledTraces;
import dev.equilibria.simulator.workload.ClosedLoopWorkload;
import dev.equilibria.simulator.workload.MooncakeTrace;
import dev.equilibria.simulator.workload.OpenLoopWorkload;
import dev.equilibria.simulator.workload.PaperWorkload;
import dev.equilibria.simulator.workload.SimRequest;
import dev.equilibria.simulator.workload.SyntheticArrivals;
import dev.equilibria.simulator.workload.TraceScaling;
import java.util.Iterator;
import java.util.Optional;

/**
 * Adapts the simulator's workloads (never copies of them) to the generator: either a closed loop (each client asks
 * for its next request when the last one finished) or open-loop arrivals in time order. Thread-safe: clients of a
 * closed loop share one source.
 */
public final class WorkloadSource {

    private final ClosedLoopWorkload closed;
    private final Iterator<SimRequest> open;
    private final int clients;
    private final int maxOutputTokens;
    private final String description;

    private WorkloadSource(ClosedLoopWorkload closed, Iterator<SimRequest> open, int clients, int maxOutputTokens,
                           String description) {
        this.closed = closed;
        this.open = open;
        this.clients = clients;
        this.maxOutputTokens = maxOutputTokens;
        this.description = description;
    }

    /** The workload {@code options} names, sized so that {@code --requests} reads no more of a trace than needed. */
    public static WorkloadSource of(BenchOptions options) {
        int cap = options.maxOutputTokens();
        switch (options.workload()) {
            case PAPER -> {
                PaperWorkload paper = new PaperWorkload(options.clients(), options.templates(), options.promptTokens(),
                        options.outputTokens(), options.seed());
                return new WorkloadSource(paper, null, options.clients(), 0, paper.describe());
            }
            case MOONCAKE -> {
                TraceScaling scaling = scaling(options);
                MooncakeTrace trace = options.trace()
                        .map(file -> MooncakeTrace.read(file, scaling, MooncakeTrace.Timing.KEEP_BURSTS))
                        .orElseGet(() -> BundledTraces.mooncake(scaling, MooncakeTrace.Timing.KEEP_BURSTS));
                return fromOpen(options, trace, cap);
            }
            case AZURE -> {
                TraceScaling scaling = scaling(options);
                AzureTrace trace = options.trace()
                        .map(file -> AzureTrace.read(file, scaling, options.sharingRatio(),
                                AzureTrace.DEFAULT_SHARED_PREFIXES, options.seed()))
                        .orElseGet(() -> BundledTraces.azure(scaling, options.sharingRatio(),
                                AzureTrace.DEFAULT_SHARED_PREFIXES, options.seed()));
                return fromOpen(options, trace, cap);
            }
            case POISSON, GAMMA -> {
                double shape = options.workload() == BenchOptions.Workload.POISSON ? 1.0 : options.gammaShape();
                SyntheticArrivals arrivals = new SyntheticArrivals(options.rate(), shape,
                        Math.max(1, options.requests()), options.promptTokens(), options.outputTokens(),
                        options.sharingRatio(), AzureTrace.DEFAULT_SHARED_PREFIXES, options.seed());
                return fromOpen(options, arrivals, 0);
            }
            default -> throw new IllegalStateException("unknown workload " + options.workload());
        }
    }

    private static TraceScaling scaling(BenchOptions options) {
        return new TraceScaling(options.speedup(), options.maxInputTokens(), Math.max(1, options.requests()));
    }

    private static WorkloadSource fromOpen(BenchOptions options, OpenLoopWorkload workload, int maxOutputTokens) {
        String description = workload.describe() + (maxOutputTokens > 0 ? ", outputs cut to " + maxOutputTokens : "");
        if (options.concurrency().isPresent()) {
            description += "; closed loop with " + options.clients() + " clients (arrival times ignored)";
        }
        return new WorkloadSource(null, workload.requests(), options.concurrency().orElse(0), maxOutputTokens,
                description);
    }

    /** True when clients pace the requests; false for arrivals at fixed times. */
    public boolean closedLoop() {
        return clients > 0;
    }

    public int clients() {
        return clients;
    }

    /**
     * The next request of a closed-loop client, or of the open loop ({@code client} -1); empty when the workload
     * has no more.
     */
    public synchronized Optional<BenchRequest> next(int client) {
        if (closed != null) {
            SimRequest r = closed.next(client, 0);
            return Optional.of(new BenchRequest(r.id(), client, 0, r.promptTokens(), r.outputTokens()));
        }
        if (!open.hasNext()) {
            return Optional.empty();
        }
        SimRequest r = open.next();
        int maxTokens = maxOutputTokens > 0 ? Math.min(maxOutputTokens, r.outputTokens()) : r.outputTokens();
        return Optional.of(new BenchRequest(r.id(), client, client >= 0 ? 0 : r.arrivalNanos(), r.promptTokens(),
                maxTokens));
    }

    public String describe() {
        return description;
    }
}
