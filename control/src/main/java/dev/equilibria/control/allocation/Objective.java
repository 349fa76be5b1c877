package dev.equilibria.control.allocation;

import java.util.Locale;

/** Which solution of the game the allocator steers toward. */
public enum Objective {
    /** The social optimum: maximum goodput, then least total latency. */
    OPTIMUM,
    /** The variational equilibrium: equal marginal utility per worker. */
    EQUILIBRIUM;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Objective fromConfigName(String name) {
        for (Objective o : values()) {
            if (o.configName().equalsIgnoreCase(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("allocation.objective must be optimum or equilibrium, was " + name);
    }
}
