package dev.equilibria.control.regime;

/** The fleet's operating regime, in increasing order of load; {@code compareTo} orders them. */
public enum Regime {
    /** Below the knee: router settings barely matter, cache affinity is cheapest. */
    BELOW,
    /** Around the knee: queues build, balancing load starts to pay. */
    TRANSITION,
    /** Past the knee: queues grow without bound; routing helps only against herding, capacity is the cure. */
    SATURATED;

    public boolean isAbove(Regime other) {
        return compareTo(other) > 0;
    }

    static Regime max(Regime a, Regime b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static Regime min(Regime a, Regime b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
