package dev.equilibria.allocator.config;

import dev.equilibria.control.allocation.AllocationParams;
import dev.equilibria.control.allocation.Objective;
import dev.equilibria.control.allocation.SpareCapacityWeights;
import dev.equilibria.control.forecast.DemandEstimator;
import dev.equilibria.control.forecast.ForecastConfig;
import dev.equilibria.control.game.Slo;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.service.config.PropertyChecks;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The allocator's settings, under {@code equilibria.allocator}. A missing value takes the named default; an invalid
 * one stops startup with a message naming the property.
 *
 * @param profile            engine profile of the workers, for the pool models ({@code llama-3.1-70b-fp8-tp4-b200})
 * @param blockSize          tokens per KV block of the workers ({@code block_size})
 * @param timeScale          the workers' {@code time-scale}: wall-clock rates are divided by it and wall-clock
 *                           latencies multiplied by it, so the models see GPU time (1 on real or real-time GPUs)
 * @param decisionInterval   time between two decisions
 * @param budget             workers the two pools share; unset: every live prefill and decode worker
 * @param slo                the service-level objectives the pools play for
 * @param objective          {@code optimum} or {@code equilibrium}: the split to steer toward
 * @param hysteresis         least predicted relative gain that justifies a move
 * @param minDwell           least time between two applied changes
 * @param maxStep            most workers one decision moves into or out of a pool
 * @param headroom           remaining workers of a shrinking pool must run at utilisation at most 1 / headroom
 * @param advisory           dry run: decide and publish, never actuate
 * @param actuator           {@code local} (role commands over Kafka) or {@code kubernetes} (scale Deployments)
 * @param actuationTimeout   how long an actuation may take to show in heartbeats before it is given up
 * @param forecast           demand forecasting
 * @param demand             demand estimation
 * @param weightsMinInterval least time between two routing-weight updates that no decision caused
 * @param weights            routing weights
 * @param capacityAlerts     what a capacity alert from the monitor may do
 * @param kubernetes         the Kubernetes actuator's Deployments
 */
@ConfigurationProperties(prefix = AllocatorProperties.PREFIX)
public record AllocatorProperties(String profile, Integer blockSize, Double timeScale, Duration decisionInterval,
                                  Integer budget, SloSettings slo, String objective, Double hysteresis,
                                  Duration minDwell, Integer maxStep, Double headroom, Boolean advisory,
                                  String actuator, Duration actuationTimeout, Forecast forecast, Demand demand,
                                  Duration weightsMinInterval, Weights weights, CapacityAlerts capacityAlerts,
                                  Kubernetes kubernetes) {

    public static final String PREFIX = "equilibria.allocator";

    private static final PropertyChecks CHECKS = new PropertyChecks(PREFIX);

    public static final String DEFAULT_PROFILE = EngineProfiles.LLAMA_70B_B200.name();
    public static final double DEFAULT_TIME_SCALE = 1.0;
    public static final Duration DEFAULT_DECISION_INTERVAL = Duration.ofSeconds(10);
    /** A budget above this is a typo, not a fleet: the optimum is searched exhaustively over the splits. */
    public static final int MAX_BUDGET = 4096;
    public static final String ACTUATOR_LOCAL = "local";
    public static final String ACTUATOR_KUBERNETES = "kubernetes";
    /** A role switch drains in-flight work first; a long decode can take a minute or more. */
    public static final Duration DEFAULT_ACTUATION_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_WEIGHTS_MIN_INTERVAL = Duration.ofSeconds(2);

    public AllocatorProperties {
        profile = profile == null || profile.isBlank() ? DEFAULT_PROFILE : profile.trim();
        try {
            EngineProfiles.byName(profile);
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("profile", e.getMessage());
        }
        blockSize = blockSize == null ? EngineConfig.DEFAULT_BLOCK_SIZE : blockSize;
        if (blockSize < 1) {
            throw CHECKS.invalid("block-size", "must be positive, got " + blockSize);
        }
        timeScale = timeScale == null ? DEFAULT_TIME_SCALE : timeScale;
        if (!(timeScale > 0) || timeScale.isInfinite()) {
            throw CHECKS.invalid("time-scale", "must be a positive number, got " + timeScale);
        }
        decisionInterval = CHECKS.positive(decisionInterval, DEFAULT_DECISION_INTERVAL, "decision-interval");
        if (budget != null) {
            checkBudget(budget, PREFIX + ".budget");
        }
        slo = slo == null ? new SloSettings(null, null) : slo;
        objective = objective == null || objective.isBlank() ? AllocationParams.DEFAULT_OBJECTIVE.configName()
                : objective.trim().toLowerCase(Locale.ROOT);
        try {
            Objective.fromConfigName(objective);
        } catch (IllegalArgumentException e) {
            throw CHECKS.invalid("objective", "must be optimum or equilibrium, got '" + objective + "'");
        }
        hysteresis = hysteresis == null ? AllocationParams.DEFAULT_HYSTERESIS : hysteresis;
        if (!(hysteresis >= 0) || hysteresis.isInfinite()) {
            throw CHECKS.invalid("hysteresis", "must be a finite number >= 0, got " + hysteresis);
        }
        minDwell = minDwell == null ? AllocationParams.DEFAULT_MIN_DWELL : minDwell;
        if (minDwell.isNegative()) {
            throw CHECKS.invalid("min-dwell", "must be zero or positive, got " + minDwell);
        }
        maxStep = maxStep == null ? AllocationParams.DEFAULT_MAX_STEP : maxStep;
        if (maxStep < 1) {
            throw CHECKS.invalid("max-step", "must be at least 1, got " + maxStep);
        }
        headroom = headroom == null ? AllocationParams.DEFAULT_HEADROOM : headroom;
        if (!(headroom >= 1) || headroom.isInfinite()) {
            throw CHECKS.invalid("headroom", "must be a finite number >= 1, got " + headroom);
        }
        advisory = advisory != null && advisory;
        actuator = actuator == null || actuator.isBlank() ? ACTUATOR_LOCAL : actuator.trim().toLowerCase(Locale.ROOT);
        if (!actuator.equals(ACTUATOR_LOCAL) && !actuator.equals(ACTUATOR_KUBERNETES)) {
            throw CHECKS.invalid("actuator", "must be local or kubernetes, got '" + actuator + "'");
        }
        actuationTimeout = CHECKS.positive(actuationTimeout, DEFAULT_ACTUATION_TIMEOUT, "actuation-timeout");
        forecast = forecast == null ? new Forecast(null, null, null) : forecast;
        demand = demand == null ? new Demand(null, null) : demand;
        weightsMinInterval = CHECKS.positive(weightsMinInterval, DEFAULT_WEIGHTS_MIN_INTERVAL, "weights-min-interval");
        weights = weights == null ? new Weights(null, null, null) : weights;
        capacityAlerts = capacityAlerts == null ? new CapacityAlerts(null) : capacityAlerts;
        kubernetes = kubernetes == null ? new Kubernetes(null, null, null, null) : kubernetes;
    }

    /** Defaults for everything. */
    public static AllocatorProperties defaults() {
        return new AllocatorProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    public EngineProfile engineProfile() {
        return EngineProfiles.byName(profile);
    }

    public AllocationParams allocationParams() {
        return new AllocationParams(Objective.fromConfigName(objective), hysteresis, minDwell, maxStep, headroom,
                advisory);
    }

    public boolean localActuator() {
        return actuator.equals(ACTUATOR_LOCAL);
    }

    /**
     * @throws IllegalArgumentException naming {@code field} unless {@code 2 <= budget <= MAX_BUDGET}
     */
    public static void checkBudget(int budget, String field) {
        if (budget < 2 || budget > MAX_BUDGET) {
            throw new IllegalArgumentException(field + ": must be a whole number of workers from 2 (one per pool) to "
                    + MAX_BUDGET + ", got " + budget);
        }
    }

    /**
     * The SLOs ({@code slo.ttft}, {@code slo.itl}), as durations such as {@code 500ms}.
     *
     * @param ttft time to first token target of the prefill pool (500ms)
     * @param itl  inter-token latency target of the decode pool (50ms)
     */
    public record SloSettings(Duration ttft, Duration itl) {

        public SloSettings {
            ttft = CHECKS.positive(ttft, Duration.ofMillis(Math.round(Slo.DEFAULT_TTFT_SECONDS * 1000)), "slo.ttft");
            itl = CHECKS.positive(itl, Duration.ofMillis(Math.round(Slo.DEFAULT_ITL_SECONDS * 1000)), "slo.itl");
        }

        public Slo toSlo() {
            return new Slo(ttft.toNanos() / 1e9, itl.toNanos() / 1e9);
        }
    }

    /**
     * @param method  {@code holt} (trend-following, the default) or {@code ewma}
     * @param horizon how far ahead to plan (60s: about the time a moved worker needs to drain and start)
     * @param params  the method's parameters by name ({@code alpha}, {@code beta}); unset ones take their defaults
     */
    public record Forecast(String method, Duration horizon, Map<String, Double> params) {

        public Forecast {
            method = method == null || method.isBlank() ? ForecastConfig.DEFAULT_METHOD
                    : method.trim().toLowerCase(Locale.ROOT);
            horizon = horizon == null ? ForecastConfig.DEFAULT_HORIZON : horizon;
            params = params == null ? Map.of() : Map.copyOf(params);
            try {
                new ForecastConfig(method, params, horizon);
            } catch (IllegalArgumentException e) {
                throw CHECKS.invalid("forecast", e.getMessage());
            }
        }

        public ForecastConfig toConfig() {
            return new ForecastConfig(method, params, horizon);
        }
    }

    /**
     * @param window       how far back the demand estimate looks (60s)
     * @param loadFallback when the decision log is silent, estimate demand from the workers' load reports (true)
     */
    public record Demand(Duration window, Boolean loadFallback) {

        public Demand {
            window = CHECKS.positive(window, DemandEstimator.DEFAULT_WINDOW, "demand.window");
            loadFallback = loadFallback == null || loadFallback;
        }
    }

    /**
     * @param floor           share of a role's traffic spread evenly regardless of load (0.1)
     * @param maxReportAge    a load report older than this counts as no spare capacity (3s)
     * @param changeThreshold least change of any weight that is worth an update between decisions (0.02)
     */
    public record Weights(Double floor, Duration maxReportAge, Double changeThreshold) {

        public static final double DEFAULT_CHANGE_THRESHOLD = 0.02;

        public Weights {
            floor = floor == null ? SpareCapacityWeights.DEFAULT_FLOOR : floor;
            maxReportAge = maxReportAge == null ? SpareCapacityWeights.DEFAULT_MAX_REPORT_AGE : maxReportAge;
            try {
                new SpareCapacityWeights.Params(floor, maxReportAge, SpareCapacityWeights.DEFAULT_QUEUE_STEPS_AT_FULL);
            } catch (IllegalArgumentException e) {
                throw CHECKS.invalid("weights", e.getMessage());
            }
            changeThreshold = changeThreshold == null ? DEFAULT_CHANGE_THRESHOLD : changeThreshold;
            if (!(changeThreshold >= 0 && changeThreshold <= 1)) {
                throw CHECKS.invalid("weights.change-threshold", "must be within [0, 1], got " + changeThreshold);
            }
        }

        public SpareCapacityWeights.Params toParams() {
            return new SpareCapacityWeights.Params(floor, maxReportAge,
                    SpareCapacityWeights.DEFAULT_QUEUE_STEPS_AT_FULL);
        }
    }

    /**
     * @param bypassDwell a newly raised alert for a pool lets the next decision that grows that pool skip the
     *                    minimum dwell time, once per alert (true); hysteresis and consolidation still apply
     */
    public record CapacityAlerts(Boolean bypassDwell) {

        public CapacityAlerts {
            bypassDwell = bypassDwell == null || bypassDwell;
        }
    }

    /**
     * @param namespace         namespace of the worker Deployments ({@code default})
     * @param prefillDeployment Deployment of the prefill workers ({@code equilibria-prefill})
     * @param decodeDeployment  Deployment of the decode workers ({@code equilibria-decode})
     * @param workersPerPod     workers one pod hosts ({@code equilibria.worker.count} of the pods; 1)
     */
    public record Kubernetes(String namespace, String prefillDeployment, String decodeDeployment,
                             Integer workersPerPod) {

        public static final String DEFAULT_NAMESPACE = "default";
        public static final String DEFAULT_PREFILL_DEPLOYMENT = "equilibria-prefill";
        public static final String DEFAULT_DECODE_DEPLOYMENT = "equilibria-decode";

        public Kubernetes {
            namespace = text(namespace, DEFAULT_NAMESPACE);
            prefillDeployment = text(prefillDeployment, DEFAULT_PREFILL_DEPLOYMENT);
            decodeDeployment = text(decodeDeployment, DEFAULT_DECODE_DEPLOYMENT);
            workersPerPod = workersPerPod == null ? 1 : workersPerPod;
            if (workersPerPod < 1) {
                throw CHECKS.invalid("kubernetes.workers-per-pod", "must be at least 1, got " + workersPerPod);
            }
        }

        private static String text(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value.trim();
        }
    }


}
