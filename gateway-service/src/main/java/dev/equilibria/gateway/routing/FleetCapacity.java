package dev.equilibria.gateway.routing;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.admission.AdmissionController;
import dev.equilibria.routing.admission.WorkerLimits;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Free request slots for a model, for admission: the smaller of its prefill and decode pools' free slots, each the
 * sum over workers not over their threshold (ledger load against {@link WorkerLimits}). An empty pool does not hold
 * requests back: the pipeline answers for it (aggregated fallback or 503).
 */
@Component
public class FleetCapacity implements AdmissionController.CapacityProbe {

    private final WorkerPools pools;
    private final LoadLedger ledger;
    private final WorkerLimits limits;

    public FleetCapacity(WorkerPools pools, LoadLedger ledger, WorkerLimits limits) {
        this.pools = pools;
        this.ledger = ledger;
        this.limits = limits;
    }

    @Override
    public int freeSlots(String model) {
        return Math.min(free(pools.pool(WorkerRole.PREFILL, model)), free(pools.pool(WorkerRole.DECODE, model)));
    }

    private int free(List<LiveWorker> pool) {
        if (pool.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        WorkerLoad[] loads = ledger.loads(pool.stream().map(LiveWorker::workerId).toList());
        long free = 0;
        for (int i = 0; i < loads.length; i++) {
            free += limits.freeSlots(pool.get(i), loads[i]);
        }
        return (int) Math.min(Integer.MAX_VALUE, free);
    }
}
