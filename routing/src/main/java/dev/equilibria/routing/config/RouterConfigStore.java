package dev.equilibria.routing.config;

import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.routing.policy.PolicySettings;
import java.util.Arrays;
import java.util.Objects;

/**
 * The live, fleet-wide part of a router's configuration: a base (startup properties, replaced as a whole by the
 * admin API) and the monitor's override on top. Requests add their own layers in {@link #resolve}. Every update is
 * validated whole before it is applied, so an invalid one changes nothing. Thread-safe.
 */
public final class RouterConfigStore {

    /**
     * The current layers.
     *
     * @param fleetOverride the monitor's override, {@link RouterConfig#EMPTY} when none is in force
     * @param overrideSource who pushed the fleet override, and why; null when none
     * @param revision      increases by one with every change
     */
    public record State(RouterConfig base, RouterConfig fleetOverride, String overrideSource, long revision,
                        ResolvedRouterConfig effective) {
    }

    private volatile State state;

    public RouterConfigStore(RouterConfig base) {
        RouterConfig validated = Objects.requireNonNull(base, "base").validate("");
        this.state = state(validated, RouterConfig.EMPTY, null, 0);
    }

    public State state() {
        return state;
    }

    /** The configuration of a request without overrides of its own. */
    public ResolvedRouterConfig effective() {
        return state.effective();
    }

    /**
     * The configuration of one request: the store's layers, then the request's headers, then its body override.
     * Both request layers must already be validated.
     */
    public ResolvedRouterConfig resolve(RouterConfig headers, RouterConfig body) {
        State current = state;
        if ((headers == null || headers.isEmpty()) && (body == null || body.isEmpty())) {
            return current.effective();
        }
        return RouterConfigLayers.resolve(Arrays.asList(current.base(), current.fleetOverride(), headers, body));
    }

    /**
     * Replaces the base (the admin API's PUT) and clears the fleet override, so the operator's change takes effect
     * at once; later fleet overrides apply on top of it again.
     *
     * @throws dev.equilibria.routing.policy.InvalidSettingException naming the bad field; nothing changes
     */
    public synchronized State replaceBase(RouterConfig base) {
        RouterConfig validated = Objects.requireNonNull(base, "base").validate("");
        state = state(validated, RouterConfig.EMPTY, null, state.revision() + 1);
        return state;
    }

    /**
     * Folds in a fleet-wide override from the monitor: its set fields replace the override's, for both legs; its
     * null fields leave them as they are.
     *
     * @throws dev.equilibria.routing.policy.InvalidSettingException naming the bad field; nothing changes
     */
    public synchronized State applyFleetOverride(RouterConfigOverride event) {
        RouterConfig update = new RouterConfig(new PolicySettings(event.policy(), event.overlapScoreWeight(),
                event.routerTemperature(), null, null, null), null, null, null, null, event.refuseWhenFull())
                .validate("");
        RouterConfig merged = state.fleetOverride().overriddenBy(update);
        String source = event.source() + (event.reason() == null ? "" : ": " + event.reason());
        state = state(state.base(), merged, source, state.revision() + 1);
        return state;
    }

    /** Drops the fleet override. */
    public synchronized State clearFleetOverride() {
        state = state(state.base(), RouterConfig.EMPTY, null, state.revision() + 1);
        return state;
    }

    private static State state(RouterConfig base, RouterConfig override, String source, long revision) {
        // resolving also checks the merged layers (for example that an orchestration name survives the fold)
        ResolvedRouterConfig effective = RouterConfigLayers.resolve(Arrays.asList(base, override));
        return new State(base, override, source, revision, effective);
    }
}
