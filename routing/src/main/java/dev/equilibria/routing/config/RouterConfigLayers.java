package dev.equilibria.routing.config;

import dev.equilibria.routing.orchestration.LegAttempts;
import dev.equilibria.routing.orchestration.OrchestrationMode;
import dev.equilibria.routing.orchestration.RemotePrefillDecider;
import dev.equilibria.routing.policy.PolicySettings;
import java.util.List;

/**
 * Folds configuration layers, lowest precedence first, into the configuration a request is routed with. The order
 * used by the gateway, from lowest to highest: built-in defaults, startup properties (or the admin API's
 * replacement of them), the fleet-wide override from the monitor, the request's {@code x-router-*} headers, the
 * request body's {@code router_config_override}.
 */
public final class RouterConfigLayers {

    /**
     * The built-in defaults: kv on both legs with w=1, t=0; prefill-first; remote prefill past 1024 tokens; workers
     * queue what they cannot batch yet (Dynamo's behaviour).
     */
    public static final RouterConfig DEFAULTS = new RouterConfig(PolicySettings.DEFAULTS, null, null,
            OrchestrationMode.PREFILL_FIRST.wireName(), RemotePrefillDecider.DEFAULT_REMOTE_PREFILL_THRESHOLD,
            LegAttempts.DEFAULT_REFUSE_WHEN_FULL);

    private RouterConfigLayers() {
    }

    /** Folds {@code layers} (lowest precedence first; nulls skipped) on top of {@link #DEFAULTS}. */
    public static ResolvedRouterConfig resolve(List<RouterConfig> layers) {
        PolicySettings prefill = DEFAULTS.shared();
        PolicySettings decode = DEFAULTS.shared();
        String orchestration = DEFAULTS.orchestration();
        int threshold = DEFAULTS.remotePrefillThreshold();
        boolean refuseWhenFull = DEFAULTS.refuseWhenFull();
        for (RouterConfig layer : layers) {
            if (layer == null) {
                continue;
            }
            prefill = prefill.overriddenBy(layer.shared()).overriddenBy(layer.prefill());
            decode = decode.overriddenBy(layer.shared()).overriddenBy(layer.decode());
            if (layer.orchestration() != null) {
                orchestration = layer.orchestration();
            }
            if (layer.remotePrefillThreshold() != null) {
                threshold = layer.remotePrefillThreshold();
            }
            if (layer.refuseWhenFull() != null) {
                refuseWhenFull = layer.refuseWhenFull();
            }
        }
        return new ResolvedRouterConfig(prefill, decode, OrchestrationMode.fromWireName(orchestration), threshold,
                refuseWhenFull);
    }
}
