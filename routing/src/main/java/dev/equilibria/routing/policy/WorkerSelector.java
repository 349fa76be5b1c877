package dev.equilibria.routing.policy;

/**
 * A routing policy: picks the worker that runs one leg of a request among candidates the router has already
 * filtered (live, not draining, right role and model) and annotated with cache overlap and load. One instance per
 * router and policy name; implementations are thread-safe, draw randomness only from the context, and are
 * registered by their config name in {@link WorkerSelectors}.
 */
public interface WorkerSelector {

    /** The policy's config name, for example {@code kv}. */
    String name();

    /** Picks one of the context's candidates (there is at least one). */
    Selection select(SelectionContext context);
}
