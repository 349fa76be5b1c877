package dev.equilibria.simulator.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code ./fleet sim <experiment> [options]}: runs an experiment on the simulated fleet and writes its reports. */
public final class SimCommand {

    private static final List<Experiment> EXPERIMENTS = List.of(new SweepExperiment(), new RepeatExperiment(),
            new AdaptiveExperiment(), new AllocateExperiment(), new PoliciesExperiment(), new ReplayExperiment());
    private static final Map<String, Experiment> BY_NAME = EXPERIMENTS.stream()
            .collect(Collectors.toMap(Experiment::name, Function.identity()));
    /** Simulated time per run when an experiment does not choose. */
    private static final Map<String, Duration> DEFAULT_DURATION = Map.of("sweep", Duration.ofSeconds(120),
            "repeat", Duration.ofSeconds(60), "adaptive", Duration.ofSeconds(120), "allocate", Duration.ofSeconds(900),
            "policies", Duration.ofSeconds(600), "replay", Duration.ofSeconds(4000));

    private SimCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit status (0, or 2 for a bad command line). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        Experiment experiment = BY_NAME.get(args[0]);
        if (experiment == null) {
            err.println("unknown experiment '" + args[0] + "'\n\n" + usage());
            return 2;
        }
        try {
            SimOptions options = new SimOptions(args, 1);
            if (options.has("help")) {
                out.println(experiment.help() + "\ncommon options:\n" + CommonOptions.HELP);
                return 0;
            }
            CommonOptions common = CommonOptions.parse(options, experiment.name(),
                    DEFAULT_DURATION.get(experiment.name()));
            experiment.run(options, common, out);
            common.report().command("./fleet sim " + String.join(" ", args));
            List<String> unknown = options.unknown();
            if (!unknown.isEmpty()) {
                err.println("warning: unused options " + unknown);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("sim " + experiment.name() + ": " + e.getMessage());
            return 2;
        }
    }

    static String usage() {
        StringBuilder s = new StringBuilder("usage: ./fleet sim <experiment> [options]   (--help after an experiment "
                + "lists its options)\n\nexperiments:\n");
        EXPERIMENTS.forEach(e -> s.append("  ").append(e.help().lines().findFirst().orElse(e.name())).append('\n'));
        return s.append("\ncommon options:\n").append(CommonOptions.HELP).toString();
    }
}
