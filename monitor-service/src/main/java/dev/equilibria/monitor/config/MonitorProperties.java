package dev.equilibria.monitor.config;

import dev.equilibria.control.controller.CapacityAlertConfig;
import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.control.controller.RoutingAction;
import dev.equilibria.control.controller.RoutingAttributionConfig;
import dev.equilibria.control.efficiency.PoaHatConfig;
import dev.equilibria.control.regime.ExitLoadSignal;
import dev.equilibria.control.regime.QueueingModel;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.ThresholdCalibrator;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.monitor.scrape.GatewayMetricNames;
import dev.equilibria.service.config.PropertyChecks;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The monitor's settings, under {@code equilibria.monitor}. A missing value takes the named default; an invalid one
 * stops startup with a message naming the property. The library configs are built (and so validated) here.
 *
 * @param pollInterval             how often the monitor polls: scrape, classify, publish, push to the dashboard
 * @param scrapeTargets            Prometheus endpoints scraped every poll; empty for none
 * @param scrapeDiscover           also scrape {@code /actuator/prometheus} of every worker endpoint seen in heartbeats
 * @param scrapeTimeout            longest one scrape (or Prometheus query) may take
 * @param prometheusUrl            query this Prometheus server's HTTP API instead of scraping the targets
 * @param ttftHistogramMetric      the gateways' TTFT histogram family (seconds)
 * @param requestsMetric           the gateways' finished-requests counter
 * @param inFlightMetric           the gateways' requests-in-flight gauge
 * @param profile                  engine profile of the fleet's workers: zero-load TTFT, calibration, default
 *                                 {@code max_num_seqs}
 * @param calibration              where theta1/theta2 come from
 * @param calibrationPromptTokens  uncached tokens of a typical prompt, for the profile's latency curve
 * @param calibrationU1            utilisation of capacity whose predicted TTFT P99 is theta1
 * @param calibrationU2            ... theta2
 * @param queueingModel            queueing model of the calibration (MM1 or MD1)
 * @param theta1Ms                 theta1 for {@code calibration=fixed}
 * @param theta2Ms                 theta2 for {@code calibration=fixed}
 * @param plateauWarmupPolls       polls with finished requests that make the plateau ({@code calibration=plateau})
 * @param plateauWarmupUtilisation the warm-up's utilisation of capacity, if known (0: low)
 * @param zeroLoadOverheadMs       fixed part of every zero-load TTFT (hops, handoff, first decode step)
 * @param timeScale                the workers' {@code time-scale} (simulated GPUs run that many times faster than
 *                                 real time): the profile's GPU times are divided by it to compare with the
 *                                 wall-clock TTFT the gateways measure
 * @param rateWindow               window of the request rate, TTFT percentiles, ITL, KV hit rate, traffic shares
 * @param workerLoadMaxAge         a worker's load report older than this is left out of the poll
 * @param historySize              poll points kept for the dashboard and {@code /admin/indices}
 * @param routerConfigRepublish    republish the settings in force this often, for gateways that started later;
 *                                 0 turns it off
 * @param detector                 regime detector parameters other than the thresholds
 * @param capacity                 capacity-alert parameters
 * @param routingAttribution       when saturation counts as routing's fault, so that the balancing settings apply
 * @param routingTable             router settings per regime (keys {@code below}, {@code transition},
 *                                 {@code saturated}); a regime left out keeps the default
 * @param poa                      PoA-hat windows
 */
@ConfigurationProperties(prefix = MonitorProperties.PREFIX)
public record MonitorProperties(Duration pollInterval, List<URI> scrapeTargets, Boolean scrapeDiscover,
                                Duration scrapeTimeout, URI prometheusUrl, String ttftHistogramMetric,
                                String requestsMetric, String inFlightMetric, String profile,
                                Calibration calibration, Integer calibrationPromptTokens, Double calibrationU1,
                                Double calibrationU2, QueueingModel queueingModel, Double theta1Ms, Double theta2Ms,
                                Integer plateauWarmupPolls, Double plateauWarmupUtilisation,
                                Double zeroLoadOverheadMs, Double timeScale, Duration rateWindow, Duration workerLoadMaxAge,
                                Integer historySize, Duration routerConfigRepublish, Detector detector,
                                Capacity capacity, RoutingAttribution routingAttribution,
                                Map<String, Route> routingTable, Poa poa) {

    public static final String PREFIX = "equilibria.monitor";

    private static final PropertyChecks CHECKS = new PropertyChecks(PREFIX);

    /** The paper polled every 5 s; a local fleet reacts faster. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** The local fleet's gateway, prefill, decode and allocator services. */
    public static final List<URI> DEFAULT_SCRAPE_TARGETS = List.of(
            URI.create("http://127.0.0.1:8080/actuator/prometheus"),
            URI.create("http://127.0.0.1:8081/actuator/prometheus"),
            URI.create("http://127.0.0.1:8082/actuator/prometheus"),
            URI.create("http://127.0.0.1:8083/actuator/prometheus"));
    public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(1);
    public static final String DEFAULT_PROFILE = EngineProfiles.LLAMA_70B_B200.name();
    public static final Calibration DEFAULT_CALIBRATION = Calibration.PROFILE;
    /** Uncached tokens of a typical prompt; the paper's templates are 128 tokens behind a shared prefix. */
    public static final int DEFAULT_CALIBRATION_PROMPT_TOKENS = 512;
    public static final int DEFAULT_PLATEAU_WARMUP_POLLS = 15;
    public static final double DEFAULT_PLATEAU_WARMUP_UTILISATION = 0;
    public static final double DEFAULT_ZERO_LOAD_OVERHEAD_MS = 0;
    /** Real GPUs, or simulated ones at real speed. */
    public static final double DEFAULT_TIME_SCALE = 1.0;
    public static final Duration DEFAULT_RATE_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WORKER_LOAD_MAX_AGE = Duration.ofSeconds(10);
    /** 30 minutes at the default poll interval. */
    public static final int DEFAULT_HISTORY_SIZE = 900;
    public static final Duration DEFAULT_ROUTER_CONFIG_REPUBLISH = Duration.ofSeconds(30);

    public MonitorProperties {
        pollInterval = CHECKS.positive(pollInterval, DEFAULT_POLL_INTERVAL, "poll-interval");
        scrapeTargets = scrapeTargets == null ? DEFAULT_SCRAPE_TARGETS : List.copyOf(scrapeTargets);
        for (URI target : scrapeTargets) {
            if (target.getScheme() == null || !target.getScheme().startsWith("http") || target.getHost() == null) {
                throw CHECKS.invalid("scrape-targets", "not an http(s) URL: " + target);
            }
        }
        scrapeDiscover = scrapeDiscover != null && scrapeDiscover;
        scrapeTimeout = CHECKS.positive(scrapeTimeout, DEFAULT_SCRAPE_TIMEOUT, "scrape-timeout");
        if (prometheusUrl != null && prometheusUrl.toString().isBlank()) {
            prometheusUrl = null;
        }
        if (prometheusUrl != null && (prometheusUrl.getScheme() == null || prometheusUrl.getHost() == null)) {
            throw CHECKS.invalid("prometheus-url", "not an http(s) URL: " + prometheusUrl);
        }
        ttftHistogramMetric = text(ttftHistogramMetric, GatewayMetricNames.DEFAULT_TTFT_HISTOGRAM);
        requestsMetric = text(requestsMetric, GatewayMetricNames.DEFAULT_REQUESTS_TOTAL);
        inFlightMetric = text(inFlightMetric, GatewayMetricNames.DEFAULT_IN_FLIGHT);
        profile = text(profile, DEFAULT_PROFILE);
        try {
            EngineProfiles.byName(profile);
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("profile", e.getMessage());
        }
        calibration = calibration == null ? DEFAULT_CALIBRATION : calibration;
        calibrationPromptTokens = calibrationPromptTokens == null ? DEFAULT_CALIBRATION_PROMPT_TOKENS
                : calibrationPromptTokens;
        calibrationU1 = calibrationU1 == null ? ThresholdCalibrator.DEFAULT_TRANSITION_UTILISATION : calibrationU1;
        calibrationU2 = calibrationU2 == null ? ThresholdCalibrator.DEFAULT_SATURATED_UTILISATION : calibrationU2;
        queueingModel = queueingModel == null ? ThresholdCalibrator.DEFAULT_QUEUEING_MODEL : queueingModel;
        plateauWarmupPolls = plateauWarmupPolls == null ? DEFAULT_PLATEAU_WARMUP_POLLS : plateauWarmupPolls;
        if (plateauWarmupPolls < 1) {
            throw CHECKS.invalid("plateau-warmup-polls", "must be at least 1, got " + plateauWarmupPolls);
        }
        plateauWarmupUtilisation = plateauWarmupUtilisation == null ? DEFAULT_PLATEAU_WARMUP_UTILISATION
                : plateauWarmupUtilisation;
        zeroLoadOverheadMs = zeroLoadOverheadMs == null ? DEFAULT_ZERO_LOAD_OVERHEAD_MS : zeroLoadOverheadMs;
        if (!(zeroLoadOverheadMs >= 0) || Double.isInfinite(zeroLoadOverheadMs)) {
            throw CHECKS.invalid("zero-load-overhead-ms", "must be finite and not negative, got " + zeroLoadOverheadMs);
        }
        timeScale = timeScale == null ? DEFAULT_TIME_SCALE : timeScale;
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw CHECKS.invalid("time-scale", "must be a positive number, got " + timeScale);
        }
        rateWindow = CHECKS.positive(rateWindow, DEFAULT_RATE_WINDOW, "rate-window");
        workerLoadMaxAge = CHECKS.positive(workerLoadMaxAge, DEFAULT_WORKER_LOAD_MAX_AGE, "worker-load-max-age");
        historySize = historySize == null ? DEFAULT_HISTORY_SIZE : historySize;
        if (historySize < 1) {
            throw CHECKS.invalid("history-size", "must be at least 1, got " + historySize);
        }
        routerConfigRepublish = routerConfigRepublish == null ? DEFAULT_ROUTER_CONFIG_REPUBLISH
                : routerConfigRepublish;
        if (routerConfigRepublish.isNegative()) {
            throw CHECKS.invalid("router-config-republish", "must not be negative, got " + routerConfigRepublish);
        }
        detector = detector == null ? Detector.DEFAULTS : detector;
        capacity = capacity == null ? Capacity.DEFAULTS : capacity;
        routingAttribution = routingAttribution == null ? RoutingAttribution.DEFAULTS : routingAttribution;
        routingTable = routingTable == null ? Map.of() : Map.copyOf(routingTable);
        poa = poa == null ? Poa.DEFAULTS : poa;
        // build every library config once, so a bad value stops startup here with its property named
        calibrator(calibrationU1, calibrationU2, queueingModel);
        if (calibration == Calibration.FIXED) {
            fixedThresholds(theta1Ms, theta2Ms);
        } else if (theta1Ms != null || theta2Ms != null) {
            throw CHECKS.invalid("theta1-ms", "theta1-ms/theta2-ms apply only with calibration=fixed (calibration is "
                    + calibration.name().toLowerCase(Locale.ROOT) + ")");
        }
        detectorConfig(detector, new Thresholds(1, 2, "validation"));
        capacityConfig(capacity);
        routingAttributionConfig(routingAttribution);
        regimeRoutingTable(routingTable);
        poaConfig(poa);
        if (calibration == Calibration.PLATEAU && !(plateauWarmupUtilisation >= 0
                && plateauWarmupUtilisation < calibrationU1)) {
            throw CHECKS.invalid("plateau-warmup-utilisation", "must be in [0, calibration-u1), got "
                    + plateauWarmupUtilisation);
        }
    }

    public static MonitorProperties defaults() {
        return new MonitorProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public EngineProfile engineProfile() {
        return EngineProfiles.byName(profile);
    }

    public GatewayMetricNames gatewayMetricNames() {
        return new GatewayMetricNames(ttftHistogramMetric, requestsMetric, inFlightMetric);
    }

    public ThresholdCalibrator calibrator() {
        return calibrator(calibrationU1, calibrationU2, queueingModel);
    }

    private static ThresholdCalibrator calibrator(double calibrationU1, double calibrationU2,
                                                  QueueingModel queueingModel) {
        try {
            return new ThresholdCalibrator(calibrationU1, calibrationU2, queueingModel);
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("calibration-u1/-u2", e.getMessage());
        }
    }

    public Thresholds fixedThresholds() {
        return fixedThresholds(theta1Ms, theta2Ms);
    }

    private static Thresholds fixedThresholds(Double theta1Ms, Double theta2Ms) {
        if (theta1Ms == null || theta2Ms == null) {
            throw CHECKS.invalid("theta1-ms", "calibration=fixed needs both theta1-ms and theta2-ms");
        }
        try {
            return new Thresholds(theta1Ms, theta2Ms, "fixed by configuration");
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("theta1-ms/theta2-ms", e.getMessage());
        }
    }

    public RegimeDetectorConfig detectorConfig(Thresholds thresholds) {
        return detectorConfig(detector, thresholds);
    }

    private static RegimeDetectorConfig detectorConfig(Detector d, Thresholds thresholds) {
        try {
            return new RegimeDetectorConfig(d.ewmaAlpha(), thresholds.theta1Ms(), thresholds.theta2Ms(),
                    d.confirmPolls(), d.utilisationTransition(), d.utilisationSaturated(),
                    new UtilisationCaps(d.queueCap(), d.kvCap()), d.symptomExitMargin(), d.loadExitMargin(),
                    d.exitLoadSignal());
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("detector", e.getMessage());
        }
    }

    public CapacityAlertConfig capacityConfig() {
        return capacityConfig(capacity);
    }

    private static CapacityAlertConfig capacityConfig(Capacity capacity) {
        try {
            return new CapacityAlertConfig(capacity.atCapShare(), capacity.maxImbalance(), capacity.confirmPolls(),
                    capacity.repeat().toMillis());
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("capacity", e.getMessage());
        }
    }

    public RoutingAttributionConfig routingAttributionConfig() {
        return routingAttributionConfig(routingAttribution);
    }

    private static RoutingAttributionConfig routingAttributionConfig(RoutingAttribution attribution) {
        try {
            return new RoutingAttributionConfig(attribution.minImbalance(), attribution.confirmPolls(),
                    attribution.minStrandedShare());
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("routing-attribution", e.getMessage());
        }
    }

    public RegimeRoutingTable regimeRoutingTable() {
        return regimeRoutingTable(routingTable);
    }

    private static RegimeRoutingTable regimeRoutingTable(Map<String, Route> routingTable) {
        RegimeRoutingTable table = RegimeRoutingTable.defaults();
        for (Map.Entry<String, Route> e : routingTable.entrySet()) {
            Regime regime;
            try {
                regime = Regime.valueOf(e.getKey().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw CHECKS.invalid("routing-table", "unknown regime '" + e.getKey() + "' (expected below, transition or"
                        + " saturated)");
            }
            try {
                table = table.with(regime, e.getValue().action(table.actionFor(regime)));
            } catch (IllegalArgumentException ex) {
                throw CHECKS.invalid("routing-table." + e.getKey(), ex.getMessage());
            }
        }
        return table;
    }

    public PoaHatConfig poaConfig() {
        return poaConfig(poa);
    }

    private static PoaHatConfig poaConfig(Poa poa) {
        try {
            return new PoaHatConfig(poa.windowRequests(), poa.window().toMillis(), poa.historyWindows(),
                    poa.rollingWindows());
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("poa", e.getMessage());
        }
    }

    /**
     * Regime detector parameters ({@code equilibria.monitor.detector.*}); names and defaults as in
     * {@link RegimeDetectorConfig} and {@link UtilisationCaps}.
     */
    public record Detector(Double ewmaAlpha, Integer confirmPolls, Double utilisationTransition,
                           Double utilisationSaturated, Double queueCap, Double kvCap, Double symptomExitMargin,
                           Double loadExitMargin, ExitLoadSignal exitLoadSignal) {

        static final Detector DEFAULTS = new Detector(null, null, null, null, null, null, null, null, null);

        public Detector {
            ewmaAlpha = ewmaAlpha == null ? RegimeDetectorConfig.DEFAULT_EWMA_ALPHA : ewmaAlpha;
            confirmPolls = confirmPolls == null ? RegimeDetectorConfig.DEFAULT_CONFIRM_POLLS : confirmPolls;
            utilisationTransition = utilisationTransition == null
                    ? RegimeDetectorConfig.DEFAULT_TRANSITION_UTILISATION : utilisationTransition;
            utilisationSaturated = utilisationSaturated == null
                    ? RegimeDetectorConfig.DEFAULT_SATURATED_UTILISATION : utilisationSaturated;
            queueCap = queueCap == null ? UtilisationCaps.DEFAULT_QUEUE_CAP : queueCap;
            kvCap = kvCap == null ? UtilisationCaps.DEFAULT_KV_CAP : kvCap;
            symptomExitMargin = symptomExitMargin == null ? RegimeDetectorConfig.DEFAULT_SYMPTOM_EXIT_MARGIN
                    : symptomExitMargin;
            loadExitMargin = loadExitMargin == null ? RegimeDetectorConfig.DEFAULT_LOAD_EXIT_MARGIN : loadExitMargin;
            exitLoadSignal = exitLoadSignal == null ? RegimeDetectorConfig.DEFAULT_EXIT_LOAD_SIGNAL : exitLoadSignal;
        }
    }

    /** Capacity-alert parameters ({@code equilibria.monitor.capacity.*}), as in {@link CapacityAlertConfig}. */
    public record Capacity(Double atCapShare, Double maxImbalance, Integer confirmPolls, Duration repeat) {

        static final Capacity DEFAULTS = new Capacity(null, null, null, null);

        public Capacity {
            atCapShare = atCapShare == null ? CapacityAlertConfig.DEFAULT_AT_CAP_SHARE : atCapShare;
            maxImbalance = maxImbalance == null ? CapacityAlertConfig.DEFAULT_MAX_IMBALANCE : maxImbalance;
            confirmPolls = confirmPolls == null ? CapacityAlertConfig.DEFAULT_CONFIRM_POLLS : confirmPolls;
            repeat = repeat == null ? Duration.ofMillis(CapacityAlertConfig.DEFAULT_REPEAT_MILLIS) : repeat;
        }
    }

    /**
     * When saturation counts as routing's fault ({@code equilibria.monitor.routing-attribution.*}), as in
     * {@link RoutingAttributionConfig}: uneven load (max/mean requests per worker at or above {@code min-imbalance})
     * while a worker has room, or requests stranded on full workers that others have slots for, or queued beyond an
     * even share of the backlog once the waiting outnumber the free slots (at least {@code min-stranded-share} of the
     * pool's slots), on {@code confirm-polls} of the last {@code 2k - 1} polls.
     */
    public record RoutingAttribution(Double minImbalance, Integer confirmPolls, Double minStrandedShare) {

        static final RoutingAttribution DEFAULTS = new RoutingAttribution(null, null, null);

        public RoutingAttribution {
            minImbalance = minImbalance == null ? RoutingAttributionConfig.DEFAULT_MIN_IMBALANCE : minImbalance;
            confirmPolls = confirmPolls == null ? RoutingAttributionConfig.DEFAULT_CONFIRM_POLLS : confirmPolls;
            minStrandedShare = minStrandedShare == null ? RoutingAttributionConfig.DEFAULT_MIN_STRANDED_SHARE
                    : minStrandedShare;
        }
    }

    /**
     * Router settings of one regime ({@code equilibria.monitor.routing-table.<regime>.*}). A null weight or
     * temperature leaves the gateway's value as it is; a null {@code refuse-when-full} keeps the default row's.
     */
    public record Route(String policy, Double overlapScoreWeight, Double routerTemperature, Boolean refuseWhenFull) {

        public RoutingAction action(RoutingAction defaultRow) {
            return new RoutingAction(policy == null ? "kv" : policy.trim(), overlapScoreWeight, routerTemperature,
                    refuseWhenFull).keepingRefuseWhenFullOf(defaultRow);
        }
    }

    /** PoA-hat windows ({@code equilibria.monitor.poa.*}), as in {@link PoaHatConfig}. */
    public record Poa(Integer windowRequests, Duration window, Integer historyWindows, Integer rollingWindows) {

        static final Poa DEFAULTS = new Poa(null, null, null, null);

        public Poa {
            windowRequests = windowRequests == null ? PoaHatConfig.DEFAULT_WINDOW_REQUESTS : windowRequests;
            window = window == null ? Duration.ofMillis(PoaHatConfig.DEFAULT_WINDOW_MILLIS) : window;
            historyWindows = historyWindows == null ? PoaHatConfig.DEFAULT_HISTORY_WINDOWS : historyWindows;
            rollingWindows = rollingWindows == null ? PoaHatConfig.DEFAULT_ROLLING_WINDOWS : rollingWindows;
        }
    }


    private static String text(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

}
