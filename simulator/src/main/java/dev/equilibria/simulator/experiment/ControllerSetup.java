package dev.equilibria.simulator.experiment;

import dev.equilibria.control.controller.AdaptiveRoutingController;
import dev.equilibria.control.controller.CapacityAlertDetector;
import dev.equilibria.control.controller.ControllerConfig;
import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.control.efficiency.TimingModelPrefillTime;
import dev.equilibria.control.regime.BatchedPrefillLatencyCurve;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetector;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.ThresholdCalibrator;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.engine.profile.EngineProfile;
import java.time.Duration;
import java.util.List;

/**
 * The monitor's controller as the simulator runs it: thresholds calibrated from the prefill pool's engine profile
 * for the workload's prompt length, polled every {@code pollInterval} (the monitor's default 2 s).
 */
public record ControllerSetup(Duration pollInterval, int promptTokens, RegimeRoutingTable table) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    public static ControllerSetup defaults(int promptTokens) {
        return new ControllerSetup(DEFAULT_POLL_INTERVAL, promptTokens, RegimeRoutingTable.defaults());
    }

    /** The same controller with {@code refuse_when_full} set to {@code refuse} in its balancing rows. */
    public ControllerSetup withBalancingRefuseWhenFull(boolean refuse) {
        RegimeRoutingTable changed = table;
        for (Regime regime : List.of(Regime.TRANSITION, Regime.SATURATED)) {
            changed = changed.with(regime, table.actionFor(regime).withRefuseWhenFull(refuse));
        }
        return new ControllerSetup(pollInterval, promptTokens, changed);
    }

    public AdaptiveRoutingController create(EngineProfile prefillProfile) {
        BatchedPrefillLatencyCurve curve = new BatchedPrefillLatencyCurve(TimingModelPrefillTime.of(prefillProfile),
                prefillProfile.maxNumBatchedTokens(), promptTokens, ThresholdCalibrator.DEFAULT_QUEUEING_MODEL);
        Thresholds thresholds = ThresholdCalibrator.defaults().fromCurve(curve, prefillProfile.name());
        RegimeDetector detector = new RegimeDetector(RegimeDetectorConfig.defaults(thresholds));
        return new AdaptiveRoutingController(detector, table, CapacityAlertDetector.defaults(UtilisationCaps.defaults()),
                ControllerConfig.defaults());
    }
}
