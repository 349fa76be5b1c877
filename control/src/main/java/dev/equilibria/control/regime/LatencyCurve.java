package dev.equilibria.control.regime;

/** Predicted TTFT P99 as a function of utilisation of the fleet's predicted capacity. */
@FunctionalInterface
public interface LatencyCurve {

    /** @param utilisation offered load over predicted capacity, in [0, 1) */
    double ttftP99Ms(double utilisation);
}
