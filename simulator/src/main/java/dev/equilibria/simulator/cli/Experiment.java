package dev.equilibria.simulator.cli;

import java.io.PrintStream;

/** One {@code ./fleet sim <experiment>} command. */
interface Experiment {

    String name();

    /** Usage: what it does and its options with defaults. */
    String help();

    void run(SimOptions options, CommonOptions common, PrintStream out);
}
