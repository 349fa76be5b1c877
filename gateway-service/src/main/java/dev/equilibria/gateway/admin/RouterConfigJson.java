package dev.equilibria.gateway.admin;

import dev.equilibria.routing.config.ResolvedRouterConfig;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.policy.PolicySettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Router configuration as the admin API shows it: snake_case names, unset fields of a layer left out. */
final class RouterConfigJson {

    private RouterConfigJson() {
    }

    static Map<String, Object> layer(RouterConfig config) {
        Map<String, Object> json = settings(config.shared());
        if (!config.prefill().isEmpty()) {
            json.put("prefill", settings(config.prefill()));
        }
        if (!config.decode().isEmpty()) {
            json.put("decode", settings(config.decode()));
        }
        putIfSet(json, "orchestration", config.orchestration());
        putIfSet(json, "remote_prefill_threshold", config.remotePrefillThreshold());
        putIfSet(json, "refuse_when_full", config.refuseWhenFull());
        return json;
    }

    static Map<String, Object> resolved(ResolvedRouterConfig config) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("prefill", settings(config.prefill()));
        json.put("decode", settings(config.decode()));
        json.put("orchestration", config.orchestration().wireName());
        json.put("remote_prefill_threshold", config.remotePrefillThreshold());
        json.put("refuse_when_full", config.refuseWhenFull());
        return json;
    }

    static Map<String, Object> settings(PolicySettings s) {
        Map<String, Object> json = new LinkedHashMap<>();
        putIfSet(json, "policy", s.policy());
        putIfSet(json, "overlap_score_weight", s.overlapScoreWeight());
        putIfSet(json, "router_temperature", s.routerTemperature());
        putIfSet(json, "balance_abs_threshold", s.balanceAbsThreshold());
        putIfSet(json, "balance_rel_threshold", s.balanceRelThreshold());
        putIfSet(json, "cache_threshold", s.cacheThreshold());
        return json;
    }

    private static void putIfSet(Map<String, Object> json, String name, Object value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
