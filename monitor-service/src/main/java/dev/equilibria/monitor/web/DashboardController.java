package dev.equilibria.monitor.web;

import dev.equilibria.monitor.control.RegimeControl;
import dev.equilibria.monitor.poll.DashboardSnapshot;
import dev.equilibria.monitor.poll.DashboardSnapshot.ThresholdsView;
import dev.equilibria.monitor.poll.DashboardSnapshot.TransitionView;
import dev.equilibria.monitor.poll.MonitorState;
import dev.equilibria.monitor.poll.SeriesPoint;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** The dashboard's data: the latest snapshot, the kept history, and a server-sent event per poll. Read-only. */
@RestController
@RequestMapping("/api")
@Tag(name = "dashboard", description = "Live data behind the dashboard at /")
public class DashboardController {

    /** Points sent to a dashboard that opens, at most. */
    public static final int DEFAULT_HISTORY_POINTS = 900;

    private final MonitorState state;
    private final RegimeControl control;

    public DashboardController(MonitorState state, RegimeControl control) {
        this.state = state;
        this.control = control;
    }

    public record History(List<SeriesPoint> points, List<TransitionView> transitions, ThresholdsView thresholds) {
    }

    @GetMapping(path = "/snapshot", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The latest poll's snapshot; 204 before the first poll")
    public ResponseEntity<DashboardSnapshot> snapshot() {
        DashboardSnapshot latest = state.latest();
        return latest == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(latest);
    }

    @GetMapping(path = "/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Series points kept (oldest first) and the regime history, to fill the charts on load")
    public History history(@RequestParam(name = "limit", required = false) Integer limit) {
        if (limit != null && limit < 1) {
            throw new InvalidInputException("limit must be positive, got " + limit);
        }
        return new History(state.history(limit == null ? DEFAULT_HISTORY_POINTS : limit),
                control.history().stream().map(TransitionView::of).toList(),
                ThresholdsView.of(control.thresholds(), control.detectorConfig()));
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-sent events: the latest snapshot at once, then one per poll (event 'snapshot')")
    public Flux<ServerSentEvent<DashboardSnapshot>> stream() {
        // a slow client skips snapshots rather than making the server queue them
        return state.stream().onBackpressureLatest()
                .map(s -> ServerSentEvent.builder(s).event("snapshot").id(Long.toString(s.poll())).build());
    }
}
