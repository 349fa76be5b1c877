package dev.equilibria.routing.policy;

/** Picks a candidate uniformly at random from the injected source. Reads no parameters; every cost is 0. */
public final class RandomSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "random";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        return new Selection(context.random().nextInt(context.size()), new double[context.size()]);
    }
}
