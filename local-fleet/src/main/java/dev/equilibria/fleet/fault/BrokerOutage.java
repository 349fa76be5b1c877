package dev.equilibria.fleet.fault;

import dev.equilibria.fleet.Fleet;
import dev.equilibria.fleet.PidFile;
import java.time.Duration;

/**
 * The Kafka broker goes away (SIGTERM, a clean broker shutdown) and comes back later on the same ports and storage,
 * as in a broker restart or a short network partition from the services' point of view.
 */
public final class BrokerOutage implements Fault {

    /** The local broker's own shutdown takes a few seconds; it is killed after this. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Fleet fleet;

    public BrokerOutage(Fleet fleet) {
        this.fleet = fleet;
    }

    @Override
    public String name() {
        return "Kafka broker stop + restart";
    }

    @Override
    public void inject() {
        fleet.stopOne(PidFile.KAFKA, STOP_GRACE);
    }

    @Override
    public void heal() {
        fleet.restart(PidFile.KAFKA);
    }
}
