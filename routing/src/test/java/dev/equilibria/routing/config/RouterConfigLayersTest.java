package dev.equilibria.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.routing.orchestration.OrchestrationMode;
import dev.equilibria.routing.policy.InvalidSettingException;
import dev.equilibria.routing.policy.PolicySettings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Precedence, lowest first: defaults, base (properties or admin), fleet override, headers, body. */
class RouterConfigLayersTest {

    private static final RouterConfig BASE = new RouterConfig(PolicySettings.ofPolicy("cache_balance"),
            new PolicySettings(null, 3.0, null, null, null, null), null, null, 2048);

    @Test
    void withoutLayersEverythingIsAtItsDefault() {
        ResolvedRouterConfig resolved = RouterConfigLayers.resolve(Arrays.asList());

        assertThat(resolved.prefill()).isEqualTo(PolicySettings.DEFAULTS);
        assertThat(resolved.decode()).isEqualTo(PolicySettings.DEFAULTS);
        assertThat(resolved.orchestration()).isEqualTo(OrchestrationMode.PREFILL_FIRST);
        assertThat(resolved.remotePrefillThreshold()).isEqualTo(1024);
        assertThat(resolved.refuseWhenFull()).as("Dynamo's behaviour: workers queue").isFalse();
    }

    @Test
    void refuseWhenFullComesFromTheFleetOverrideUnlessARequestSaysOtherwise() {
        RouterConfigStore store = new RouterConfigStore(BASE);
        store.applyFleetOverride(new RouterConfigOverride("monitor", 1, "round_robin", null, null, "herd", true));
        assertThat(store.effective().refuseWhenFull()).isTrue();

        store.applyFleetOverride(new RouterConfigOverride("monitor", 2, "kv", 1.0, 0.0, "an older sender"));
        assertThat(store.effective().refuseWhenFull()).as("null leaves it as it is").isTrue();
        RouterConfig optOut = new RouterConfig(null, null, null, null, null, false);
        assertThat(store.resolve(optOut, null).refuseWhenFull()).isFalse();

        store.applyFleetOverride(new RouterConfigOverride("monitor", 3, "kv", null, null, "below", false));
        assertThat(store.effective().refuseWhenFull()).isFalse();
    }

    @Test
    void eachLayerOverridesOnlyWhatItSets() {
        RouterConfig fleet = RouterConfig.ofShared(new PolicySettings("kv", null, 0.7, null, null, null));
        RouterConfig headers = new RouterConfig(null, null, PolicySettings.ofPolicy("least_loaded"), null, null);
        RouterConfig body = new RouterConfig(new PolicySettings(null, null, 0.1, null, null, null), null, null,
                "decode_first", null);

        ResolvedRouterConfig resolved = RouterConfigLayers.resolve(Arrays.asList(BASE, fleet, headers, body));

        assertThat(resolved.prefill()).isEqualTo(new PolicySettings("kv", 3.0, 0.1, 256.0, 1.5, 0.5));
        assertThat(resolved.decode()).isEqualTo(new PolicySettings("least_loaded", 1.0, 0.1, 256.0, 1.5, 0.5));
        assertThat(resolved.orchestration()).isEqualTo(OrchestrationMode.DECODE_FIRST);
        assertThat(resolved.remotePrefillThreshold()).isEqualTo(2048);
    }

    @Test
    void aHigherLayersSharedSettingBeatsALowerLayersLegSetting() {
        RouterConfig low = new RouterConfig(null, PolicySettings.ofPolicy("round_robin"), null, null, null);
        RouterConfig high = RouterConfig.ofShared(PolicySettings.ofPolicy("random"));

        assertThat(RouterConfigLayers.resolve(Arrays.asList(low, high)).prefill().policy()).isEqualTo("random");
        assertThat(RouterConfigLayers.resolve(Arrays.asList(high, low)).prefill().policy())
                .isEqualTo("round_robin");
    }

    @Test
    void theStoreLayersTheFleetOverrideOverTheBaseAndRequestsOverBoth() {
        RouterConfigStore store = new RouterConfigStore(BASE);
        store.applyFleetOverride(new RouterConfigOverride("monitor", 1, null, null, 0.5, "saturated"));
        store.applyFleetOverride(new RouterConfigOverride("monitor", 2, "kv", null, null, "policy only"));

        assertThat(store.effective().prefill()).isEqualTo(new PolicySettings("kv", 3.0, 0.5, 256.0, 1.5, 0.5));
        assertThat(store.state().overrideSource()).isEqualTo("monitor: policy only");
        assertThat(store.state().revision()).isEqualTo(2);

        ResolvedRouterConfig request = store.resolve(RouterConfig.ofShared(PolicySettings.ofPolicy("random")),
                RouterConfig.ofShared(new PolicySettings(null, null, 0.0, null, null, null)));
        assertThat(request.decode().policy()).isEqualTo("random");
        assertThat(request.decode().routerTemperature()).isEqualTo(0.0);
        assertThat(store.resolve(null, RouterConfig.EMPTY)).isSameAs(store.effective());
    }

    @Test
    void replacingTheBaseClearsTheFleetOverride() {
        RouterConfigStore store = new RouterConfigStore(BASE);
        store.applyFleetOverride(new RouterConfigOverride("monitor", 1, "round_robin", null, null, null));

        store.replaceBase(RouterConfig.ofShared(PolicySettings.ofPolicy("power_of_two")));

        assertThat(store.effective().prefill().policy()).isEqualTo("power_of_two");
        assertThat(store.state().fleetOverride()).isEqualTo(RouterConfig.EMPTY);
        assertThat(store.state().overrideSource()).isNull();
    }

    @Test
    void anInvalidUpdateChangesNothing() {
        RouterConfigStore store = new RouterConfigStore(BASE);
        RouterConfigStore.State before = store.state();

        InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> store.replaceBase(
                new RouterConfig(PolicySettings.ofPolicy("random"), null,
                        new PolicySettings(null, null, -1.0, null, null, null), null, null)));
        catchThrowableOfType(InvalidSettingException.class, () -> store.applyFleetOverride(
                new RouterConfigOverride("monitor", 1, "fastest", 2.0, null, null)));

        assertThat(e.field()).isEqualTo("decode.router_temperature");
        assertThat(store.state()).isSameAs(before);
    }

    @Test
    void validationNamesNestedAndTopLevelFields() {
        assertThat(catchThrowableOfType(InvalidSettingException.class, () -> new RouterConfig(null, null, null,
                "sideways", null).validate("router_config_override.")).field())
                .isEqualTo("router_config_override.orchestration");
        assertThat(catchThrowableOfType(InvalidSettingException.class, () -> new RouterConfig(null, null, null,
                null, -1).validate("")).field()).isEqualTo("remote_prefill_threshold");
    }
}
