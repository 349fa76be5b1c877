package dev.equilibria.control.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.control.regime.Regime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegimeRoutingTableTest {

    @Test
    void defaultsAreCacheAffinityBelowAndAViewFreeBalancerAbove() {
        RegimeRoutingTable table = RegimeRoutingTable.defaults();

        assertThat(table.actionFor(Regime.BELOW)).isEqualTo(new RoutingAction("kv", 1.0, 0.0, false));
        assertThat(table.actionFor(Regime.TRANSITION))
                .isEqualTo(new RoutingAction("round_robin", null, null, true));
        assertThat(table.actionFor(Regime.SATURATED)).isEqualTo(new RoutingAction("round_robin", null, null, true));
        assertThat(RegimeRoutingTable.PAPER_SATURATED).isEqualTo(new RoutingAction("kv", 0.1, 0.8));
    }

    @Test
    void aRegimeCanBeRemapped() {
        RegimeRoutingTable table = RegimeRoutingTable.defaults().with(Regime.SATURATED, RegimeRoutingTable.LEAST_LOADED);

        assertThat(table.actionFor(Regime.SATURATED).policy()).isEqualTo("least_loaded");
        assertThat(table.actionFor(Regime.SATURATED).routerTemperature()).isNull();
    }

    @Test
    void aRowThatLeavesOutRefuseWhenFullKeepsTheCurrentRowsFlag() {
        RoutingAction current = RegimeRoutingTable.DEFAULT_SATURATED;

        assertThat(RoutingAction.policy("least_loaded").keepingRefuseWhenFullOf(current))
                .isEqualTo(new RoutingAction("least_loaded", null, null, true));
        assertThat(new RoutingAction("kv", 0.5, 0.4, false).keepingRefuseWhenFullOf(current).refuseWhenFull())
                .isFalse();
    }

    @Test
    void everyRegimeNeedsAnAction() {
        assertThatThrownBy(() -> new RegimeRoutingTable(Map.of(Regime.BELOW, RegimeRoutingTable.DEFAULT_BELOW)))
                .hasMessageContaining("TRANSITION");
        assertThatThrownBy(() -> RoutingAction.kv(-1, 0)).hasMessageContaining("overlap_score_weight");
        assertThatThrownBy(() -> RoutingAction.kv(1, Double.NaN)).hasMessageContaining("router_temperature");
        assertThatThrownBy(() -> RoutingAction.policy(" ")).hasMessageContaining("policy");
    }
}
