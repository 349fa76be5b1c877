package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingLeg;

/**
 * PoA-hat of one closed window of routing decisions.
 *
 * @param settings         the router settings the window's decisions were made with (windows split when they change)
 * @param requests         decisions in the matrix
 * @param excluded         decisions left out: no candidates, or a chosen worker that is not among its candidates
 * @param workers          distinct candidate workers (matrix columns before slot replication)
 * @param actualCost       sum of the chosen candidates' costs
 * @param optimalCost      the min-cost assignment's sum on the same frozen matrix
 * @param ratio            {@code actualCost / optimalCost}; 1 when both are 0, NaN when only the optimum is 0
 * @param capacityRelaxed  true when the slots could not hold the window's candidate restrictions and the optimum
 *                         was taken without slot limits (each request at its cheapest candidate)
 */
public record PoaHatWindow(RoutingLeg leg, RouterSettings settings, long startMs, long endMs, int requests,
                           int excluded, int workers, double actualCost, double optimalCost, double ratio,
                           boolean capacityRelaxed) {

    static double ratio(double actual, double optimal) {
        if (optimal > 0) {
            return actual / optimal;
        }
        return actual == 0 ? 1.0 : Double.NaN;
    }
}
