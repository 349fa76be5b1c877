package dev.equilibria.routing.config;

import dev.equilibria.routing.orchestration.LegAttempts;
import dev.equilibria.routing.orchestration.OrchestrationMode;
import dev.equilibria.routing.policy.InvalidSettingException;
import dev.equilibria.routing.policy.PolicySettings;

/**
 * One layer of router configuration (startup properties, the admin API, a fleet-wide override, a request's headers
 * or body). Null means "as the layer below says"; {@link RouterConfigLayers} folds the layers. Within a layer the
 * shared settings apply to both legs first, then the leg-specific ones.
 *
 * @param shared                 settings for both legs
 * @param prefill                settings for the prefill leg only
 * @param decode                 settings for the decode leg only (also used to place a request run aggregated)
 * @param orchestration          {@code prefill_first} or {@code decode_first}
 * @param remotePrefillThreshold decode-first: prefill remotely only when more than this many prompt tokens are not
 *                               cached on the decode worker
 * @param refuseWhenFull         {@code refuse_when_full}: a worker with no free batch slot refuses a leg and the
 *                               router places it on another (see {@link LegAttempts})
 */
public record RouterConfig(PolicySettings shared, PolicySettings prefill, PolicySettings decode, String orchestration,
                           Integer remotePrefillThreshold, Boolean refuseWhenFull) {

    /** A layer that changes nothing. */
    public static final RouterConfig EMPTY = new RouterConfig(null, null, null, null, null, null);

    public RouterConfig {
        shared = shared == null ? PolicySettings.EMPTY : shared;
        prefill = prefill == null ? PolicySettings.EMPTY : prefill;
        decode = decode == null ? PolicySettings.EMPTY : decode;
    }

    /** A layer that leaves {@code refuse_when_full} to the layers below. */
    public RouterConfig(PolicySettings shared, PolicySettings prefill, PolicySettings decode, String orchestration,
                        Integer remotePrefillThreshold) {
        this(shared, prefill, decode, orchestration, remotePrefillThreshold, null);
    }

    /** Both legs with the same settings. */
    public static RouterConfig ofShared(PolicySettings shared) {
        return new RouterConfig(shared, null, null, null, null);
    }

    public boolean isEmpty() {
        return shared.isEmpty() && prefill.isEmpty() && decode.isEmpty() && orchestration == null
                && remotePrefillThreshold == null && refuseWhenFull == null;
    }

    /**
     * Checks every set field.
     *
     * @param prefix how the caller names this layer in messages, for example {@code router_config_override.}
     * @return this
     * @throws InvalidSettingException naming the first bad field
     */
    public RouterConfig validate(String prefix) {
        shared.validate(prefix);
        prefill.validate(prefix + "prefill.");
        decode.validate(prefix + "decode.");
        if (orchestration != null) {
            try {
                OrchestrationMode.fromWireName(orchestration);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(prefix + "orchestration", e.getMessage());
            }
        }
        if (remotePrefillThreshold != null && remotePrefillThreshold < 0) {
            throw new InvalidSettingException(prefix + "remote_prefill_threshold",
                    "must be >= 0 tokens, got " + remotePrefillThreshold);
        }
        return this;
    }

    /** This layer with every set field of {@code over} on top (for merging two updates of the same layer). */
    public RouterConfig overriddenBy(RouterConfig over) {
        if (over == null) {
            return this;
        }
        return new RouterConfig(shared.overriddenBy(over.shared), prefill.overriddenBy(over.prefill),
                decode.overriddenBy(over.decode), over.orchestration != null ? over.orchestration : orchestration,
                over.remotePrefillThreshold != null ? over.remotePrefillThreshold : remotePrefillThreshold,
                over.refuseWhenFull != null ? over.refuseWhenFull : refuseWhenFull);
    }
}
