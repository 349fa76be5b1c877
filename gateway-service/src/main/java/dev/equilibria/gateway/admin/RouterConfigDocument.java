package dev.equilibria.gateway.admin;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The JSON shape of a router configuration layer, for the OpenAPI document only (the controller parses the body by
 * hand so every error names its field). Unset fields fall back to the layer below.
 */
@Schema(name = "RouterConfig", description = "A router configuration layer; unset fields take the layer below")
record RouterConfigDocument(
        @Schema(description = "policy for both legs", allowableValues = {"round_robin", "random", "least_loaded",
                "power_of_two", "kv", "cache_balance", "weighted"}) String policy,
        @Schema(description = "w in c_j = w * prefill_blocks_j + decode_blocks_j", minimum = "0")
        Double overlap_score_weight,
        @Schema(description = "softmax temperature of kv; 0 picks the lowest cost", minimum = "0")
        Double router_temperature,
        @Schema(description = "cache_balance: load spread (blocks) that means imbalance", minimum = "0")
        Double balance_abs_threshold,
        @Schema(description = "cache_balance: max/min load ratio that means imbalance", minimum = "1")
        Double balance_rel_threshold,
        @Schema(description = "cache_balance: smallest cached fraction worth following", minimum = "0",
                maximum = "1") Double cache_threshold,
        @Schema(description = "settings for the prefill leg only") LegDocument prefill,
        @Schema(description = "settings for the decode leg only") LegDocument decode,
        @Schema(allowableValues = {"prefill_first", "decode_first"}) String orchestration,
        @Schema(description = "decode-first: prefill remotely above this many uncached tokens", minimum = "0")
        Integer remote_prefill_threshold,
        @Schema(description = "a worker with no free batch slot refuses a leg and the gateway places it on another")
        Boolean refuse_when_full) {

    @Schema(name = "LegSettings")
    record LegDocument(String policy, Double overlap_score_weight, Double router_temperature,
                       Double balance_abs_threshold, Double balance_rel_threshold, Double cache_threshold) {
    }
}
