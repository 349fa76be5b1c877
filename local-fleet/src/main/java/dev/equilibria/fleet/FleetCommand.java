package dev.equilibria.fleet;

import dev.equilibria.fleet.bench.BenchCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code ./fleet up|down|status|bench} entry point: starts the local fleet in the foreground (until Ctrl-C) or
 * detached, stops a detached one, shows what runs, or runs the load generator against it.
 *
 * <p>The repository root comes from the system property {@code equilibria.fleet.root} (the {@code fleet} script
 * sets it), else the working directory.
 */
public final class FleetCommand {

    /** System property naming the repository root. */
    public static final String ROOT_PROPERTY = "equilibria.fleet.root";

    private FleetCommand() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        System.exit(code);
    }

    /** Runs one command; returns the exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, root(), out, err);
    }

    /** Runs one command against the repository at {@code root}. */
    public static int run(String[] args, Map<String, String> env, Path root, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("bench")) {
            return BenchCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, root, out, err);
        }
        FleetOptions options;
        try {
            options = FleetOptions.parse(args, env, root);
        } catch (IllegalArgumentException e) {
            err.println("fleet: " + e.getMessage());
            err.println();
            err.print(FleetOptions.USAGE);
            return 2;
        }
        try {
            return switch (options.command()) {
                case HELP -> {
                    out.print(FleetOptions.USAGE);
                    yield 0;
                }
                case UP -> up(options, env, out, err);
                case DOWN -> Fleet.down(options.layout(), out);
                case STATUS -> Fleet.status(options.layout(), out);
            };
        } catch (FleetException e) {
            err.println("fleet: " + e.getMessage());
            return 1;
        }
    }

    public static Path root() {
        String root = System.getProperty(ROOT_PROPERTY);
        return (root == null || root.isBlank() ? Path.of("") : Path.of(root)).toAbsolutePath().normalize();
    }

    private static int up(FleetOptions options, Map<String, String> env, PrintStream out, PrintStream err) {
        Fleet fleet = new Fleet(options, env, out);
        // Ctrl-C (or ./fleet down, which signals a foreground launcher): services first, then the broker
        Thread hook = new Thread(() -> {
            if (fleet.hasStarted() && !fleet.isStopping()) {
                out.println();
                out.println("Stopping the fleet...");
                List<String> killed = fleet.stop();
                out.println(killed.isEmpty() ? "Stopped." : "Stopped; killed " + killed + " (they did not stop in time).");
            }
        }, "fleet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        RunningFleet running;
        try {
            running = fleet.up(!options.detach());
        } catch (FleetException e) {
            if (fleet.isStopping() && e.getMessage().equals("stopped while starting")) {
                return 130;
            }
            err.println("fleet: " + e.getMessage());
            if (fleet.hasStarted()) {
                err.println("fleet: stopped what had been started; logs are in " + options.layout().logs());
            }
            return 1;
        }
        printReady(running, out);

        if (options.detach()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook stops the fleet, as asked
            }
            fleet.detach();
            out.println("Running detached. Stop it with: ./fleet down" + homeArgument(options));
            return 0;
        }
        out.println("Press Ctrl-C to stop the fleet.");
        ServiceProcess ended = fleet.awaitFirstExit();
        if (fleet.isStopping()) {
            return 130;
        }
        err.println("fleet: " + ended.failureMessage("exited unexpectedly with code " + ended.exitCode().orElse(-1)));
        err.println("fleet: stopping the rest of the fleet.");
        return 1;
    }

    private static String homeArgument(FleetOptions options) {
        FleetLayout layout = options.layout();
        return layout.equals(FleetLayout.of(layout.root())) ? "" : " --home " + layout.home();
    }

    /** The summary printed once the fleet is ready: endpoints, logs, admin token and a curl to try. */
    static void printReady(RunningFleet running, PrintStream out) {
        FleetLayout layout = running.layout();
        out.println();
        out.println("Equilibria fleet is up (" + running.options().topology() + ", model " + running.model() + ").");
        out.println();
        if (running.kafkaStarted()) {
            out.printf("  %-18s %-28s log %s%n", "kafka (KRaft)", running.bootstrap(), layout.log(PidFile.KAFKA));
        } else {
            out.printf("  %-18s %-28s (KAFKA_BOOTSTRAP_SERVERS)%n", "kafka", running.bootstrap());
        }
        for (ServiceSpec service : running.services()) {
            out.printf("  %-18s %-28s log %s%n", service.name(), service.baseUrl(), layout.log(service.name()));
        }
        out.println();
        AdminToken token = running.adminToken();
        out.println("Admin token (" + (token.generated() ? "generated" : "from EQUILIBRIA_ADMIN_TOKEN") + ", saved in "
                + layout.adminTokenFile() + "):");
        out.println("  " + token.value());
        out.println();
        out.println("Stream a completion:");
        out.println("  " + running.exampleCurl());
        out.println();
    }
}
