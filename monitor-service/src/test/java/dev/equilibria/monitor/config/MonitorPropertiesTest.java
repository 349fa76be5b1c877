package dev.equilibria.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.control.controller.RoutingAction;
import dev.equilibria.control.controller.RoutingAttributionConfig;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.monitor.control.ThresholdCalibration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MonitorPropertiesTest {

    @Test
    void defaultsAreTheNamedConstants() {
        MonitorProperties p = MonitorProperties.defaults();

        assertThat(p.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.scrapeTargets()).isEqualTo(MonitorProperties.DEFAULT_SCRAPE_TARGETS);
        assertThat(p.prometheusUrl()).isNull();
        assertThat(p.profile()).isEqualTo("llama-3.1-70b-fp8-tp4-b200");
        assertThat(p.calibration()).isEqualTo(Calibration.PROFILE);
        assertThat(p.regimeRoutingTable()).isEqualTo(RegimeRoutingTable.defaults());
        assertThat(p.detectorConfig(new Thresholds(100, 200, "t")).confirmPolls()).isEqualTo(3);
        assertThat(p.routingAttributionConfig()).isEqualTo(RoutingAttributionConfig.defaults());
    }

    @Test
    void routingAttributionIsConfigurableAndValidated() {
        MonitorProperties p = withAttribution(new MonitorProperties.RoutingAttribution(2.5, 2, 0.1));
        assertThat(p.routingAttributionConfig()).isEqualTo(new RoutingAttributionConfig(2.5, 2, 0.1));
        assertThat(withAttribution(new MonitorProperties.RoutingAttribution(null, 1, null)).routingAttributionConfig())
                .isEqualTo(new RoutingAttributionConfig(RoutingAttributionConfig.DEFAULT_MIN_IMBALANCE, 1,
                        RoutingAttributionConfig.DEFAULT_MIN_STRANDED_SHARE));

        assertThatThrownBy(() -> withAttribution(new MonitorProperties.RoutingAttribution(1.0, null, null)))
                .hasMessageContaining("equilibria.monitor.routing-attribution")
                .hasMessageContaining("routing_min_imbalance");
        assertThatThrownBy(() -> withAttribution(new MonitorProperties.RoutingAttribution(null, 0, null)))
                .hasMessageContaining("equilibria.monitor.routing-attribution")
                .hasMessageContaining("routing_confirm_polls");
        assertThatThrownBy(() -> withAttribution(new MonitorProperties.RoutingAttribution(null, null, 0.0)))
                .hasMessageContaining("equilibria.monitor.routing-attribution")
                .hasMessageContaining("routing_min_stranded_share");
    }

    @Test
    void routingAttributionBindsFromItsPropertyNames() {
        var source = new MapConfigurationPropertySource(Map.of(
                "equilibria.monitor.routing-attribution.min-imbalance", "1.8",
                "equilibria.monitor.routing-attribution.confirm-polls", "2",
                "equilibria.monitor.routing-attribution.min-stranded-share", "0.05"));
        MonitorProperties p = new Binder(source)
                .bind(MonitorProperties.PREFIX, MonitorProperties.class).get();

        assertThat(p.routingAttributionConfig()).isEqualTo(new RoutingAttributionConfig(1.8, 2, 0.05));
    }

    private static MonitorProperties withAttribution(MonitorProperties.RoutingAttribution attribution) {
        return new MonitorProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, attribution, null, null);
    }

    @Test
    void profileCalibrationPutsTheThresholdsOnTheProfilesLatencyCurve() {
        Thresholds t = ThresholdCalibration.initial(MonitorProperties.defaults());

        assertThat(t.theta1Ms()).isPositive();
        assertThat(t.theta2Ms()).isGreaterThan(t.theta1Ms());
        assertThat(t.basis()).contains("llama-3.1-70b-fp8-tp4-b200").contains("u1=0.80");
        // u2 = 0.95 is on the steep part of the curve: well above u1 = 0.8
        assertThat(t.theta2Ms() / t.theta1Ms()).isGreaterThan(2);
    }

    @Test
    void invalidValuesStopStartupNamingTheProperty() {
        assertThatThrownBy(() -> with(Duration.ZERO, null, null, null, null))
                .hasMessageContaining("equilibria.monitor.poll-interval");
        assertThatThrownBy(() -> with(null, "no-such-gpu", null, null, null))
                .hasMessageContaining("equilibria.monitor.profile").hasMessageContaining("unknown engine profile");
        assertThatThrownBy(() -> with(null, null, Calibration.FIXED, 300.0, null))
                .hasMessageContaining("theta1-ms").hasMessageContaining("both");
        assertThatThrownBy(() -> with(null, null, Calibration.FIXED, 300.0, 200.0))
                .hasMessageContaining("theta1_ms < theta2_ms");
        assertThatThrownBy(() -> with(null, null, Calibration.PROFILE, 300.0, 600.0))
                .hasMessageContaining("only with calibration=fixed");
        assertThatThrownBy(() -> new MonitorProperties(null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                new MonitorProperties.Detector(null, 0, null, null, null, null, null, null, null), null, null, null,
                null))
                .hasMessageContaining("equilibria.monitor.detector").hasMessageContaining("confirm_polls");
        assertThatThrownBy(() -> new MonitorProperties(null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                Map.of("overloaded", new MonitorProperties.Route("kv", 1.0, 0.0, null)), null))
                .hasMessageContaining("routing-table").hasMessageContaining("overloaded");
    }

    @Test
    void fixedThresholdsAndARoutingTableEntry() {
        MonitorProperties p = new MonitorProperties(null, null, null, null, null, null, null, null, null,
                Calibration.FIXED, null, null, null, null, 250.0, 900.0, null, null, null, null, null, null, null,
                null, null, null, null, Map.of("saturated", new MonitorProperties.Route("least_loaded", null, null, null),
                "transition", new MonitorProperties.Route("kv", 0.5, 0.4, false)), null);

        assertThat(ThresholdCalibration.initial(p)).isEqualTo(new Thresholds(250, 900, "fixed by configuration"));
        assertThat(p.regimeRoutingTable().actionFor(Regime.SATURATED)).as("refuse_when_full kept from the default row")
                .isEqualTo(RoutingAction.policy("least_loaded").withRefuseWhenFull(true));
        assertThat(p.regimeRoutingTable().actionFor(Regime.TRANSITION))
                .isEqualTo(new RoutingAction("kv", 0.5, 0.4, false));
        assertThat(p.regimeRoutingTable().actionFor(Regime.BELOW)).isEqualTo(RegimeRoutingTable.DEFAULT_BELOW);
    }

    @Test
    void aTimeScaleTurnsTheProfilesGpuTimesIntoWallClockTimes() {
        Thresholds real = ThresholdCalibration.initial(MonitorProperties.defaults());
        Thresholds slowed = ThresholdCalibration.initial(scaled(0.25, 10.0));

        assertThat(slowed.theta1Ms()).isCloseTo(real.theta1Ms() / 0.25 + 10, within(1e-9));
        assertThat(slowed.theta2Ms()).isCloseTo(real.theta2Ms() / 0.25 + 10, within(1e-9));
        assertThat(slowed.basis()).contains("at time scale 0.25", "plus 10.0 ms fixed overhead");
        assertThat(ThresholdCalibration.initial(scaled(1.0, null))).isEqualTo(real);
        assertThatThrownBy(() -> scaled(0.0, null)).hasMessageContaining("equilibria.monitor.time-scale");
        assertThatThrownBy(() -> scaled(Double.POSITIVE_INFINITY, null)).hasMessageContaining("time-scale");
    }

    private static MonitorProperties scaled(Double timeScale, Double overheadMs) {
        return new MonitorProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, overheadMs, timeScale, null, null, null, null, null, null, null, null,
                null);
    }

    @Test
    void theIdeMetadataListsEveryProperty() throws Exception {
        String metadata;
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        var names = new java.util.ArrayList<String>();
        for (var c : MonitorProperties.class.getRecordComponents()) {
            var nested = c.getType().getRecordComponents();
            if (nested == null) {
                names.add(kebab(c.getName()));
            } else {
                for (var n : nested) {
                    names.add(kebab(c.getName()) + "." + kebab(n.getName()));
                }
            }
        }
        for (String name : names) {
            assertThat(metadata).as(name).contains("\"equilibria.monitor." + name + "\"");
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static MonitorProperties with(Duration poll, String profile, Calibration calibration, Double theta1,
                                          Double theta2) {
        return new MonitorProperties(poll, null, null, null, null, null, null, null, profile, calibration, null, null,
                null, null, theta1, theta2, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
