package dev.equilibria.routing.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Every built-in routing policy, by config name: the one registration file (compare llm-d's plugin registry). */
public final class WorkerSelectors {

    /**
     * A policy as registered.
     *
     * @param parameters the {@link PolicySettings} fields it reads, by config name
     */
    public record Descriptor(String name, Supplier<WorkerSelector> factory, List<String> parameters,
                             String summary) {
    }

    private static final Map<String, Descriptor> BUILT_IN = new LinkedHashMap<>();

    static {
        register(new Descriptor(RoundRobinSelector.NAME, RoundRobinSelector::new, List.of(),
                "cycles through the candidates of each leg"));
        register(new Descriptor(RandomSelector.NAME, RandomSelector::new, List.of(),
                "uniformly at random"));
        register(new Descriptor(LeastLoadedSelector.NAME, LeastLoadedSelector::new, List.of(),
                "lowest queued_prefill_blocks + decode_blocks"));
        register(new Descriptor(PowerOfTwoSelector.NAME, PowerOfTwoSelector::new, List.of(),
                "less loaded of two random candidates"));
        register(new Descriptor(KvSelector.NAME, KvSelector::new,
                List.of("overlap_score_weight", "router_temperature"),
                "c_j = overlap_score_weight * prefill_blocks_j + decode_blocks_j, argmin or softmax"));
        register(new Descriptor(CacheBalanceSelector.NAME, CacheBalanceSelector::new,
                List.of("balance_abs_threshold", "balance_rel_threshold", "cache_threshold"),
                "longest cached prefix until loads are imbalanced, then least loaded"));
        register(new Descriptor(WeightedSelector.NAME, WeightedSelector::new, List.of(),
                "random in proportion to the allocator's routing weights"));
    }

    private WorkerSelectors() {
    }

    private static void register(Descriptor descriptor) {
        BUILT_IN.put(descriptor.name(), descriptor);
    }

    /** Config names of the built-in policies, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(BUILT_IN.keySet());
    }

    /** Every registered policy, in registration order. */
    public static List<Descriptor> descriptors() {
        return List.copyOf(BUILT_IN.values());
    }

    /**
     * A fresh instance of the named policy.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static WorkerSelector create(String name) {
        Descriptor descriptor = name == null ? null : BUILT_IN.get(name);
        if (descriptor == null) {
            throw new IllegalArgumentException("unknown routing policy '" + name + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        return descriptor.factory().get();
    }

    /** One fresh instance of every policy, by name, for a router. */
    public static Map<String, WorkerSelector> createAll() {
        Map<String, WorkerSelector> all = new LinkedHashMap<>();
        BUILT_IN.keySet().forEach(name -> all.put(name, create(name)));
        return all;
    }
}
