package dev.equilibria.routing.ledger;

import java.time.Duration;

/**
 * Another gateway replica as this one hears it.
 *
 * @param lastSeq   sequence number of its last delta applied
 * @param staleness now minus the timestamp of its last delta applied
 * @param workers   workers it has load on
 */
public record PeerView(String gatewayId, long lastSeq, Duration staleness, int workers) {
}
