package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.RoutingLeg;

/**
 * PoA-hat of one leg over the kept windows.
 *
 * @param windows  closed windows kept
 * @param p50      median of the windows' ratios (windows with an undefined ratio left out); NaN with none
 * @param p90      90th percentile of the ratios
 * @param rolling  sum of actual over sum of optimal across the latest {@code poa_rolling_windows} windows, so
 *                 bigger windows weigh more
 * @param latest   the last closed window, or null
 */
public record PoaHatSummary(RoutingLeg leg, int windows, double p50, double p90, double rolling,
                            PoaHatWindow latest) {
}
