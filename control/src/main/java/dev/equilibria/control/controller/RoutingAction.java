package dev.equilibria.control.controller;

import dev.equilibria.protocol.event.RouterConfigOverride;

/**
 * Router settings the controller pushes for a regime. A null field leaves the gateway's value as it is, as in
 * {@code RouterConfigOverride}.
 *
 * @param policy             selection policy by its config name, for example {@code kv} or {@code least_loaded}
 * @param overlapScoreWeight {@code overlap_score_weight}, {@code w} in {@code c_j = w * prefill_blocks_j + decode_blocks_j}
 * @param routerTemperature  {@code router_temperature}, the softmax temperature {@code t}; 0 picks the lowest cost
 * @param refuseWhenFull     {@code refuse_when_full}: a worker without a free batch slot refuses a leg and the
 *                           gateway places it on another
 */
public record RoutingAction(String policy, Double overlapScoreWeight, Double routerTemperature,
                            Boolean refuseWhenFull) {

    /** Leaves {@code refuse_when_full} as it is. */
    public RoutingAction(String policy, Double overlapScoreWeight, Double routerTemperature) {
        this(policy, overlapScoreWeight, routerTemperature, null);
    }

    public RoutingAction {
        if (policy == null || policy.isBlank()) {
            throw new IllegalArgumentException("policy must be named");
        }
        if (overlapScoreWeight != null && !(overlapScoreWeight >= 0 && Double.isFinite(overlapScoreWeight))) {
            throw new IllegalArgumentException("overlap_score_weight must be finite and not negative, got "
                    + overlapScoreWeight);
        }
        if (routerTemperature != null && !(routerTemperature >= 0 && Double.isFinite(routerTemperature))) {
            throw new IllegalArgumentException("router_temperature must be finite and not negative, got "
                    + routerTemperature);
        }
    }

    public static RoutingAction kv(double overlapScoreWeight, double routerTemperature) {
        return new RoutingAction("kv", overlapScoreWeight, routerTemperature);
    }

    /** A policy without kv parameters: the gateway keeps its {@code w} and {@code t} for later. */
    public static RoutingAction policy(String name) {
        return new RoutingAction(name, null, null);
    }

    /** The fleet-wide override that puts this action in force. */
    public RouterConfigOverride override(String source, long nowMs, String reason) {
        return new RouterConfigOverride(source, nowMs, policy, overlapScoreWeight, routerTemperature, reason,
                refuseWhenFull);
    }

    /** This row as an update of {@code current}: left out, {@code refuse_when_full} stays as {@code current} has it. */
    public RoutingAction keepingRefuseWhenFullOf(RoutingAction current) {
        return refuseWhenFull != null ? this
                : new RoutingAction(policy, overlapScoreWeight, routerTemperature, current.refuseWhenFull);
    }

    public RoutingAction withRefuseWhenFull(boolean refuse) {
        return new RoutingAction(policy, overlapScoreWeight, routerTemperature, refuse);
    }

    @Override
    public String toString() {
        return policy + (overlapScoreWeight == null ? "" : " overlap_score_weight=" + overlapScoreWeight)
                + (routerTemperature == null ? "" : " router_temperature=" + routerTemperature)
                + (refuseWhenFull == null ? "" : " refuse_when_full=" + refuseWhenFull);
    }
}
