package dev.equilibria.routing.config;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.orchestration.OrchestrationMode;
import dev.equilibria.routing.policy.PolicySettings;

/**
 * The configuration one request is routed with: every field set.
 *
 * @param prefill settings of the prefill leg
 * @param decode         settings of the decode leg, and of an aggregated run
 * @param refuseWhenFull a leg may ask its worker to refuse it when no batch slot is free (see
 *                       {@link dev.equilibria.routing.orchestration.LegAttempts})
 */
public record ResolvedRouterConfig(PolicySettings prefill, PolicySettings decode, OrchestrationMode orchestration,
                                   int remotePrefillThreshold, boolean refuseWhenFull) {

    /** Settings for placing a leg; an aggregated run is placed like a decode leg. */
    public PolicySettings leg(WorkerRole leg) {
        return leg == WorkerRole.PREFILL ? prefill : decode;
    }
}
