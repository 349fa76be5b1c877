package dev.equilibria.fleet.fault;

import dev.equilibria.fleet.Fleet;

/** {@code kill -9} of one service process: no shutdown hook, no drain, sockets reset, as in a crash. */
public final class KillProcess implements Fault {

    private final Fleet fleet;
    private final String service;
    private final boolean restartOnHeal;

    /**
     * @param restartOnHeal start it again in {@link #heal()} (false: it stays dead, as after a lost machine)
     */
    public KillProcess(Fleet fleet, String service, boolean restartOnHeal) {
        this.fleet = fleet;
        this.service = service;
        this.restartOnHeal = restartOnHeal;
    }

    @Override
    public String name() {
        return "kill -9 " + service;
    }

    @Override
    public void inject() {
        fleet.kill(service);
    }

    @Override
    public void heal() {
        if (restartOnHeal) {
            fleet.restart(service);
        }
    }
}
