package dev.equilibria.simulator.fleet;

import java.time.Duration;

/**
 * What the router knows about load when it decides.
 *
 * @param kind          {@link Kind#LEDGER}: its own in-flight ledger, updated on every dispatch (the gateway's
 *                      default); {@link Kind#POLLED}: the workers' actual load, polled every {@code pollInterval}
 *                      (scraped metrics), nothing counted on dispatch
 * @param gateways      gateway replicas; each routes a share of the traffic with its own view
 * @param shareDelay    for the ledger view with several replicas: how late the other replicas' ledger deltas
 *                      arrive (as over Kafka); null when replicas do not share
 */
public record RouterView(Kind kind, Duration pollInterval, int gateways, Duration shareDelay) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    public enum Kind {
        LEDGER, POLLED
    }

    public static final RouterView LEDGER = new RouterView(Kind.LEDGER, null, 1, null);

    public RouterView {
        if (gateways < 1) {
            throw new IllegalArgumentException("at least one gateway");
        }
        if (kind == Kind.POLLED && (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero())) {
            throw new IllegalArgumentException("a polled view needs a positive poll interval");
        }
    }

    public static RouterView polled(Duration interval) {
        return new RouterView(Kind.POLLED, interval, 1, null);
    }

    public static RouterView replicas(int gateways, Duration shareDelay) {
        return new RouterView(Kind.LEDGER, null, gateways, shareDelay);
    }

    public String describe() {
        String base = kind == Kind.POLLED ? "polled every " + pollInterval.toMillis() + " ms" : "in-flight ledger";
        if (gateways == 1) {
            return base;
        }
        return base + ", " + gateways + " gateways" + (shareDelay == null ? " (not sharing)"
                : " sharing deltas after " + shareDelay.toMillis() + " ms");
    }
}
