package dev.equilibria.fleet.fault;

import dev.equilibria.fleet.bench.BenchOptions;
import dev.equilibria.fleet.bench.BenchRun;
import dev.equilibria.fleet.bench.WorkloadSource;
import java.time.Duration;
import java.util.Optional;

/**
 * A burst of load on top of whatever already runs: {@code clients} more closed-loop clients of the paper workload
 * for {@code length}. Sized by the caller as a multiple of the fleet's capacity (for example 3x the concurrent
 * requests the gateway admits). {@link #heal()} waits for the burst to end; its requests are in {@link #result()}.
 */
public final class OverloadBurst implements Fault {

    private final BenchOptions options;
    private final String gatewayUrl;
    private final String model;
    private final int clients;
    private final Duration length;
    private BenchRun run;
    private BenchRun.Result result;

    public OverloadBurst(String gatewayUrl, String model, int clients, int outputTokens, Duration length) {
        this.options = BenchOptions.paper(gatewayUrl, model, clients, outputTokens)
                .withLimits(Integer.MAX_VALUE, Optional.of(length)).withProgress(false);
        this.gatewayUrl = gatewayUrl;
        this.model = model;
        this.clients = clients;
        this.length = length;
    }

    @Override
    public String name() {
        return "overload burst: " + clients + " more clients for " + length.toSeconds() + " s";
    }

    /**
     * Starts the burst; it stops issuing after its length. Its clock starts here, so its request times are relative to
     * the injection.
     */
    @Override
    public void inject() {
        run = new BenchRun(options, WorkloadSource.of(options), gatewayUrl, model, Optional.empty()).start();
    }

    /** Waits until the burst's last request ended. */
    @Override
    public void heal() {
        result = run.await();
        run.close();
    }

    /** The burst's own requests, times relative to {@link #inject()}; available after {@link #heal()}. */
    public BenchRun.Result result() {
        if (result == null) {
            throw new IllegalStateException("the burst has not ended yet");
        }
        return result;
    }
}
