package dev.equilibria.monitor.config;

import dev.equilibria.control.controller.ControllerConfig;
import dev.equilibria.control.efficiency.CandidateLoad;
import dev.equilibria.control.efficiency.EngineZeroLoadTtft;
import dev.equilibria.control.efficiency.LoadImbalanceTracker;
import dev.equilibria.control.efficiency.PoaHatCalculator;
import dev.equilibria.control.efficiency.PoaHatTracker;
import dev.equilibria.control.efficiency.PrefillTime;
import dev.equilibria.control.efficiency.TimingModelPrefillTime;
import dev.equilibria.control.efficiency.TtftInflationTracker;
import dev.equilibria.control.efficiency.WindowLimits;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.monitor.control.ControlSink;
import dev.equilibria.monitor.control.KafkaControlSink;
import dev.equilibria.monitor.control.RegimeControl;
import dev.equilibria.monitor.control.ThresholdCalibration;
import dev.equilibria.monitor.inputs.AllocationBoard;
import dev.equilibria.monitor.inputs.DecisionStats;
import dev.equilibria.monitor.inputs.EfficiencyIndices;
import dev.equilibria.monitor.inputs.FleetInputs;
import dev.equilibria.monitor.inputs.RejectedRecords;
import dev.equilibria.monitor.inputs.RequestStats;
import dev.equilibria.monitor.inputs.WorkerLoadBoard;
import dev.equilibria.monitor.metrics.MonitorMetrics;
import dev.equilibria.monitor.poll.MonitorState;
import dev.equilibria.monitor.poll.PollLoop;
import dev.equilibria.monitor.scrape.MetricsSource;
import dev.equilibria.monitor.scrape.PrometheusApiSource;
import dev.equilibria.monitor.scrape.ScrapeSource;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import dev.equilibria.service.kafka.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the monitor from its settings: inputs, indices, the metrics source, the controller and the poll loop. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MonitorProperties.class)
public class MonitorConfiguration {

    @Bean
    public InstantSource monitorClock() {
        return InstantSource.system();
    }

    @Bean
    public RequestStats requestStats(MonitorProperties p) {
        return new RequestStats(p.rateWindow().toMillis());
    }

    @Bean
    public DecisionStats decisionStats(MonitorProperties p) {
        return new DecisionStats(p.rateWindow().toMillis());
    }

    @Bean
    public WorkerLoadBoard workerLoadBoard() {
        return new WorkerLoadBoard();
    }

    @Bean
    public AllocationBoard allocationBoard() {
        return new AllocationBoard();
    }

    @Bean
    public EfficiencyIndices efficiencyIndices(MonitorProperties p) {
        var profile = p.engineProfile();
        return new EfficiencyIndices(new PoaHatTracker(p.poaConfig(), PoaHatCalculator.defaults()),
                new LoadImbalanceTracker(CandidateLoad.TOTAL_BLOCKS, WindowLimits.defaults()),
                new TtftInflationTracker(new EngineZeroLoadTtft(wallClock(TimingModelPrefillTime.of(profile),
                        p.timeScale()), p.zeroLoadOverheadMs()), WindowLimits.defaults()));
    }

    /** GPU time to the wall-clock time simulated GPUs at {@code timeScale} take (they run that much faster). */
    static PrefillTime wallClock(PrefillTime gpu, double timeScale) {
        return (newTokens, cachedTokens) -> gpu.millis(newTokens, cachedTokens) / timeScale;
    }

    @Bean
    public RejectedRecords rejectedRecords(MeterRegistry registry) {
        return new RejectedRecords(registry);
    }

    @Bean
    public FleetInputs fleetInputs(InstantSource monitorClock, EfficiencyIndices indices, DecisionStats decisions,
                                   RequestStats requests, WorkerLoadBoard loads, AllocationBoard allocations,
                                   RejectedRecords rejected, MeterRegistry registry) {
        return new FleetInputs(monitorClock, indices, decisions, requests, loads, allocations, rejected, registry);
    }

    @Bean
    public MetricsSource metricsSource(MonitorProperties p, WorkerRegistry registry) {
        if (p.prometheusUrl() != null) {
            return new PrometheusApiSource(p.prometheusUrl(), p.scrapeTimeout(), p.rateWindow(),
                    p.gatewayMetricNames());
        }
        if (p.scrapeTargets().isEmpty() && !p.scrapeDiscover()) {
            return MetricsSource.NONE;
        }
        return new ScrapeSource(p.scrapeTargets(), () -> p.scrapeDiscover() ? discovered(registry) : List.of(),
                p.scrapeTimeout(), p.gatewayMetricNames());
    }

    private static List<URI> discovered(WorkerRegistry registry) {
        return registry.live().stream().map(LiveWorker::endpoint).distinct()
                .map(e -> URI.create(e.replaceAll("/+$", "") + "/actuator/prometheus")).toList();
    }

    @Bean
    public MonitorState monitorState(MonitorProperties p) {
        return new MonitorState(p.historySize());
    }

    @Bean
    public MonitorMetrics monitorMetrics(MeterRegistry registry, MonitorState state) {
        return new MonitorMetrics(registry, state);
    }

    @Bean
    public ControlSink controlSink(EventPublisher publisher, MonitorMetrics metrics) {
        return new KafkaControlSink(publisher, metrics);
    }

    @Bean
    public RegimeControl regimeControl(MonitorProperties p, ControlSink sink) {
        Thresholds thresholds = ThresholdCalibration.initial(p);
        RegimeControl.Plateau plateau = p.calibration() == Calibration.PLATEAU
                ? new RegimeControl.Plateau(p.calibrator(), p.plateauWarmupPolls(), p.plateauWarmupUtilisation())
                : null;
        return new RegimeControl(p.detectorConfig(thresholds), thresholds, p.regimeRoutingTable(),
                p.capacityConfig(), p.routingAttributionConfig(), ControllerConfig.defaults(), p.historySize(),
                plateau, sink);
    }

    @Bean
    public PollLoop pollLoop(MonitorProperties p, InstantSource monitorClock, MetricsSource metrics,
                             RequestStats requests, DecisionStats decisions, WorkerLoadBoard loads,
                             AllocationBoard allocations, WorkerRegistry registry, EfficiencyIndices indices,
                             RegimeControl control, ControlSink sink, MonitorState state) {
        return new PollLoop(monitorClock,
                new PollLoop.Inputs(metrics, requests, decisions, loads, allocations, registry, indices),
                new PollLoop.Timing(p.pollInterval(), p.workerLoadMaxAge(), p.routerConfigRepublish(),
                        p.engineProfile().maxNumSeqs()),
                control, sink, state);
    }
}
