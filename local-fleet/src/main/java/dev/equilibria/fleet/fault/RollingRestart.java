package dev.equilibria.fleet.fault;

import dev.equilibria.fleet.Fleet;
import java.time.Duration;

/**
 * One step of a rolling restart: SIGTERM to a service, which drains within {@code grace} (else SIGKILL), then the
 * same service started again on the same port.
 */
public final class RollingRestart implements Fault {

    private final Fleet fleet;
    private final String service;
    private final Duration grace;
    private boolean graceful;

    public RollingRestart(Fleet fleet, String service, Duration grace) {
        this.fleet = fleet;
        this.service = service;
        this.grace = grace;
    }

    @Override
    public String name() {
        return "SIGTERM + restart " + service;
    }

    @Override
    public void inject() {
        graceful = fleet.stopOne(service, grace);
    }

    @Override
    public void heal() {
        fleet.restart(service);
    }

    /** True when the service stopped by itself within the grace period (not killed). */
    public boolean stoppedGracefully() {
        return graceful;
    }
}
