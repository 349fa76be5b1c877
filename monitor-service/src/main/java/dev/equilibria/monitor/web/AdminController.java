package dev.equilibria.monitor.web;

import dev.equilibria.control.controller.ControllerStatus;
import dev.equilibria.control.controller.RegimeRoutingTable;
import dev.equilibria.control.controller.RoutingAction;
import dev.equilibria.control.regime.ExitLoadSignal;
import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeDetectorConfig;
import dev.equilibria.control.regime.RegimeReading;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.control.regime.Thresholds;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.monitor.control.RegimeControl;
import dev.equilibria.monitor.poll.DashboardSnapshot;
import dev.equilibria.monitor.poll.DashboardSnapshot.RouteView;
import dev.equilibria.monitor.poll.DashboardSnapshot.ThresholdsView;
import dev.equilibria.monitor.poll.DashboardSnapshot.TransitionView;
import dev.equilibria.monitor.poll.MonitorState;
import dev.equilibria.monitor.poll.SeriesPoint;
import dev.equilibria.routing.policy.WorkerSelectors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The monitor's admin API under {@code /admin} (bearer token, see service-support): regime state and history,
 * force and release, thresholds and detector parameters, the routing table, index history. A request is validated
 * as a whole before anything is applied; an invalid one gets a 400 problem document and changes nothing.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin", description = "Regime control and thresholds")
@SecurityRequirement(name = OpenApiConfiguration.ADMIN_TOKEN)
public class AdminController {

    /** Longest reason accepted, so history entries stay readable. */
    public static final int MAX_REASON_LENGTH = 500;

    private final RegimeControl control;
    private final MonitorState state;
    private final InstantSource clock;

    public AdminController(RegimeControl control, MonitorState state, InstantSource monitorClock) {
        this.control = control;
        this.state = state;
        this.clock = monitorClock;
    }

    /**
     * The regime's state: what routing follows, the detector's view, the latest reading; {@code routingBound} says
     * whether the workers' load was found uneven since the fleet left BELOW, so that the balancing settings apply.
     */
    public record StatusView(String regime, String detected, String forced, RouteView routing,
                             List<String> capacityBoundPools, boolean routingBound) {

        static StatusView of(ControllerStatus s) {
            return new StatusView(s.regime().name(), s.detected().name(),
                    s.forced() == null ? null : s.forced().name(), RouteView.of(s.applied()),
                    s.capacityBoundPools().stream().sorted().toList(), s.routingBound());
        }
    }

    /** The detector's answer to the latest poll. */
    public record ReadingView(long timestampMs, String regime, String indicated, String reason, List<String> signals,
                              Double ttftP99EwmaMs, Double utilisation, String hottestPool, Double load) {

        static ReadingView of(RegimeReading r) {
            return r == null ? null : new ReadingView(r.timestampMs(), r.regime().name(), r.indicated().name(),
                    r.reason(), r.signals().stream().map(Signal::name).sorted().toList(), finite(r.ttftP99EwmaMs()),
                    finite(r.utilisation()), r.hottestPool(), finite(r.load()));
        }
    }

    public record RegimeState(StatusView status, ReadingView reading, ThresholdsView thresholds,
                              List<TransitionView> history) {
    }

    public record ForceRequest(String regime, String reason) {
    }

    public record ReleaseRequest(String reason) {
    }

    public record ChangeResult(TransitionView transition, StatusView status) {
    }

    public record IndexHistory(List<SeriesPoint> points, Map<String, DashboardSnapshot.PoaView> poaHat,
                               DashboardSnapshot.InflationView ttftInflation,
                               Map<String, DashboardSnapshot.ImbalanceView> loadImbalance) {
    }

    @GetMapping("/regime")
    @Operation(summary = "Regime state, the latest reading, the thresholds and the transition history")
    public RegimeState regime() {
        return new RegimeState(StatusView.of(control.status()), ReadingView.of(control.lastReading()),
                ThresholdsView.of(control.thresholds(), control.detectorConfig()),
                control.history().stream().map(TransitionView::of).toList());
    }

    @PostMapping(path = "/regime/force", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Force a regime: its routing is published and pinned until released")
    public ChangeResult force(@RequestBody ForceRequest request) {
        if (request.regime() == null || request.regime().isBlank()) {
            throw new InvalidInputException("regime is required (below, transition or saturated)");
        }
        Regime regime;
        try {
            regime = Regime.valueOf(request.regime().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown regime '" + request.regime()
                    + "' (expected below, transition or saturated)");
        }
        String reason = reason(request.reason());
        var transition = control.force(regime, reason, clock.millis());
        return new ChangeResult(TransitionView.of(transition), StatusView.of(control.status()));
    }

    @PostMapping("/regime/release")
    @Operation(summary = "Release a forced regime: routing follows the detected regime again")
    public ChangeResult release(@RequestBody(required = false) ReleaseRequest request) {
        String reason = reason(request == null ? null : request.reason());
        var transition = control.release(reason, clock.millis())
                .orElseThrow(() -> new ConflictException("no regime is forced"));
        return new ChangeResult(TransitionView.of(transition), StatusView.of(control.status()));
    }

    @GetMapping("/thresholds")
    @Operation(summary = "The detector's TTFT thresholds and parameters")
    public ThresholdsView thresholds() {
        return ThresholdsView.of(control.thresholds(), control.detectorConfig());
    }

    @PutMapping(path = "/thresholds", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change thresholds and detector parameters; fields left out keep their values. All or"
            + " nothing: theta1_ms < theta2_ms, positive, and the detector's own rules")
    public ThresholdsView putThresholds(@RequestBody ThresholdsView update) {
        if (update == null) {
            throw new InvalidInputException("a JSON object is required");
        }
        ThresholdsView current = thresholds();
        if (allNull(update) && update.theta1Ms() == null && update.theta2Ms() == null) {
            throw new InvalidInputException("nothing to change: give theta1_ms, theta2_ms or a detector parameter");
        }
        double theta1 = pick(update.theta1Ms(), current.theta1Ms());
        double theta2 = pick(update.theta2Ms(), current.theta2Ms());
        if (!(theta1 > 0) || !Double.isFinite(theta1)) {
            throw new InvalidInputException("theta1_ms must be positive and finite, got " + theta1);
        }
        if (!(theta2 > theta1) || !Double.isFinite(theta2)) {
            throw new InvalidInputException("theta2_ms (" + theta2 + ") must be finite and above theta1_ms ("
                    + theta1 + ")");
        }
        if (update.basis() != null && update.basis().length() > MAX_REASON_LENGTH) {
            throw new InvalidInputException("basis is longer than " + MAX_REASON_LENGTH + " characters");
        }
        boolean thresholdsChanged = update.theta1Ms() != null || update.theta2Ms() != null;
        Thresholds thresholds = thresholdsChanged
                ? new Thresholds(theta1, theta2, "set by operator" + (update.basis() == null ? ""
                        : ": " + update.basis()))
                : control.thresholds();
        ExitLoadSignal exit;
        try {
            exit = update.exitLoadSignal() == null ? ExitLoadSignal.valueOf(current.exitLoadSignal()
                    .toUpperCase(Locale.ROOT)) : ExitLoadSignal.valueOf(update.exitLoadSignal().trim()
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown exit_load_signal '" + update.exitLoadSignal()
                    + "' (expected offered_load or utilisation)");
        }
        RegimeDetectorConfig config;
        try {
            config = new RegimeDetectorConfig(pick(update.ewmaAlpha(), current.ewmaAlpha()), theta1, theta2,
                    update.confirmPolls() != null ? update.confirmPolls() : current.confirmPolls(),
                    pick(update.utilisationTransition(), current.utilisationTransition()),
                    pick(update.utilisationSaturated(), current.utilisationSaturated()),
                    new UtilisationCaps(pick(update.queueCap(), current.queueCap()),
                            pick(update.kvCap(), current.kvCap())),
                    pick(update.symptomExitMargin(), current.symptomExitMargin()),
                    pick(update.loadExitMargin(), current.loadExitMargin()), exit);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        control.reconfigure(config, thresholds, control.routingTable(), "detector parameters set by operator",
                clock.millis());
        return thresholds();
    }

    @GetMapping("/indices")
    @Operation(summary = "History of the efficiency indices (one point per poll) and their latest summaries")
    public IndexHistory indices(@RequestParam(name = "limit", required = false) Integer limit) {
        if (limit != null && limit < 1) {
            throw new InvalidInputException("limit must be positive, got " + limit);
        }
        DashboardSnapshot latest = state.latest();
        return new IndexHistory(state.history(limit == null ? Integer.MAX_VALUE : limit),
                latest == null ? Map.of() : latest.poaHat(), latest == null ? null : latest.ttftInflation(),
                latest == null ? Map.of() : latest.loadImbalance());
    }

    @GetMapping("/routing-table")
    @Operation(summary = "Router settings published for each regime")
    public Map<String, RouteView> routingTable() {
        Map<String, RouteView> out = new LinkedHashMap<>();
        RegimeRoutingTable table = control.routingTable();
        for (Regime r : Regime.values()) {
            out.put(r.name().toLowerCase(Locale.ROOT), RouteView.of(table.actionFor(r)));
        }
        return out;
    }

    @PutMapping(path = "/routing-table", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change the settings of some regimes (keys below, transition, saturated); all or nothing."
            + " The settings in force are republished if they change")
    public Map<String, RouteView> putRoutingTable(@RequestBody Map<String, RouteView> update) {
        if (update == null || update.isEmpty()) {
            throw new InvalidInputException("nothing to change: give settings for below, transition or saturated");
        }
        Map<Regime, RoutingAction> actions = new EnumMap<>(Regime.class);
        for (Regime r : Regime.values()) {
            actions.put(r, control.routingTable().actionFor(r));
        }
        for (Map.Entry<String, RouteView> e : update.entrySet()) {
            Regime regime;
            try {
                regime = Regime.valueOf(e.getKey().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new InvalidInputException("unknown regime '" + e.getKey()
                        + "' (expected below, transition or saturated)");
            }
            RouteView v = e.getValue();
            if (v == null) {
                throw new InvalidInputException(e.getKey() + ": settings required");
            }
            String policy = v.policy() == null ? "kv" : v.policy().trim();
            if (!policy.isEmpty() && !WorkerSelectors.names().contains(policy)) {
                // the gateway would refuse it: fail here, where the operator sees why
                throw new InvalidInputException(e.getKey() + ": unknown policy '" + policy + "' (known: "
                        + String.join(", ", WorkerSelectors.names()) + ")");
            }
            try {
                actions.put(regime, new RoutingAction(policy, v.overlapScoreWeight(), v.routerTemperature(),
                        v.refuseWhenFull()).keepingRefuseWhenFullOf(actions.get(regime)));
            } catch (IllegalArgumentException ex) {
                throw new InvalidInputException(e.getKey() + ": " + ex.getMessage());
            }
        }
        control.reconfigure(control.detectorConfig(), control.thresholds(), new RegimeRoutingTable(actions),
                "routing table set by operator", clock.millis());
        return routingTable();
    }

    private static boolean allNull(ThresholdsView u) {
        return u.ewmaAlpha() == null && u.confirmPolls() == null && u.utilisationTransition() == null
                && u.utilisationSaturated() == null && u.queueCap() == null && u.kvCap() == null
                && u.symptomExitMargin() == null && u.loadExitMargin() == null && u.exitLoadSignal() == null;
    }

    private static double pick(Double given, Double current) {
        return given != null ? given : current;
    }

    private static String reason(String given) {
        String reason = given == null || given.isBlank() ? "no reason given" : given.strip();
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new InvalidInputException("reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        return reason;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
