package dev.equilibria.control.regime;

import java.util.Set;

/**
 * The detector's answer to one poll.
 *
 * @param regime          the regime after this poll
 * @param previous        the regime before it
 * @param changed         whether this poll changed the regime
 * @param signals         what fired the change (empty when nothing changed)
 * @param reason          why it changed, or what the detector is waiting for; for logs and the dashboard
 * @param indicated       the regime the symptoms point at on this poll alone, before confirmation and exit rules
 * @param ttftP99EwmaMs   EWMA of TTFT P99; NaN before the first finished request
 * @param utilisation     EWMA of the hottest pool's utilisation score; NaN without pools
 * @param hottestPool     the pool with the highest utilisation score on this poll, or null
 * @param load            EWMA of the exit condition's load measure; NaN when unknown
 */
public record RegimeReading(long timestampMs, Regime regime, Regime previous, boolean changed, Set<Signal> signals,
                            String reason, Regime indicated, double ttftP99EwmaMs, double utilisation,
                            String hottestPool, double load) {

    public RegimeReading {
        signals = Set.copyOf(signals);
    }
}
