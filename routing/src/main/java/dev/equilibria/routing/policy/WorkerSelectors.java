package dev.equilibria.routing.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Every built-in routing policy, by config name. */
public final class WorkerSelectors {

    private static final Map<String, Supplier<WorkerSelector>> BUILT_IN = Map.of(
            RoundRobinSelector.NAME, RoundRobinSelector::new);

    private WorkerSelectors() {
    }

    /** Config names of the built-in policies, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(BUILT_IN.keySet());
    }

    /**
     * A fresh instance of the named policy.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static WorkerSelector create(String name) {
        Supplier<WorkerSelector> factory = name == null ? null : BUILT_IN.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown routing policy '" + name + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        return factory.get();
    }
}
