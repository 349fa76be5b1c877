package dev.equilibria.allocator.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies of the admin API (snake_case JSON). */
public final class AdminRequests {

    private AdminRequests() {
    }

    @Schema(description = "Either a fixed budget, or auto: every live prefill and decode worker")
    public record BudgetRequest(@Schema(description = "workers, 2 to 4096") Integer budget,
                                @Schema(description = "true: follow the live worker count") Boolean auto) {
    }

    @Schema(description = "Both SLOs, in seconds")
    public record SloRequest(@Schema(example = "0.5") Double ttftSeconds, @Schema(example = "0.05") Double itlSeconds) {
    }

    @Schema(description = "A workload to solve the game for (GPU time); omitted optional fields take defaults")
    public record WhatIfRequest(@Schema(description = "requests per second", example = "20") Double arrivalRate,
                                @Schema(example = "2048") Double meanInputTokens,
                                @Schema(description = "default: mean_input_tokens") Double p90InputTokens,
                                @Schema(example = "256") Double meanOutputTokens,
                                @Schema(description = "default 0", example = "0.3") Double prefixHitRate,
                                @Schema(description = "default: the current budget") Integer budget) {
    }
}
