package dev.equilibria.simulator.report;

import dev.equilibria.simulator.metrics.Samples;

/** Columns that summarise one metric over several runs (configurations or seeds). */
public final class Spread {

    private Spread() {
    }

    /** {@code <name>_mean}, {@code <name>_spread} (max - min) and {@code <name>_cv}: across configurations. */
    public static Table.Row acrossConfigs(Table.Row row, String name, Samples values) {
        return row.put(name + "_mean", values.mean()).put(name + "_spread", values.max() - values.min())
                .put(name + "_cv", values.cv());
    }

    /** {@code <name>_mean}, {@code _stdev}, {@code _min}, {@code _max}: across seeds. */
    public static Table.Row acrossSeeds(Table.Row row, String name, Samples values) {
        return row.put(name + "_mean", values.mean()).put(name + "_stdev", values.stdev())
                .put(name + "_min", values.min()).put(name + "_max", values.max());
    }
}
