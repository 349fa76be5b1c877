package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.WorkerRole;

/** No live, non-draining worker can take a leg of a request. */
public class NoWorkerAvailableException extends RuntimeException {

    private final WorkerRole leg;
    private final String model;

    public NoWorkerAvailableException(WorkerRole leg, String model) {
        super("no " + leg.wireName() + " worker is available for model '" + model + "': the " + leg.wireName()
                + " pool is empty (no live, non-draining " + leg.wireName() + " or aggregated worker serves this"
                + " model); retry later", null, false, false);
        this.leg = leg;
        this.model = model;
    }

    public WorkerRole leg() {
        return leg;
    }

    public String model() {
        return model;
    }
}
