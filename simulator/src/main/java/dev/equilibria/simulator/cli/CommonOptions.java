package dev.equilibria.simulator.cli;

import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.engine.scheduler.KvAdmission;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.fleet.RouterView;
import dev.equilibria.simulator.report.ReportWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Options every experiment shares: topology, engine profile, KV admission, router view, seed, output folder. */
record CommonOptions(FleetSpec fleet, RouterView view, long seed, Duration duration, Duration warmup,
                     ReportWriter report) {

    static final String HELP = """
              --topology NAME      preset (1p2d-70b, 1p5d-70b, 1p2d-340b, 2p4d-8b, and the claim tests' 1p4d-small,
                                   1p2d-small, 0p4d-small) or xPyD (default 1p2d-70b)
              --profile NAME       engine profile for an xPyD topology (default llama-3.1-70b-fp8-tp4-b200)
              --kv-admission M     lazy (allocate as tokens come, preempt) or reserve (whole sequence) (default lazy)
              --view V             ledger | polled:5s | replicas:4 | replicas:4:100ms (default ledger)
              --duration D         simulated time per run (default depends on the experiment)
              --warmup D           not measured at the start of each run (default 10s)
              --seed N             random seed (default 1)
              --out DIR            where reports go (default sim-results/<experiment>-<time>)
            """;

    static CommonOptions parse(SimOptions o, String experiment, Duration defaultDuration) {
        EngineProfile profile = EngineProfiles.byName(o.string("profile", EngineProfiles.DEFAULT.name()));
        FleetSpec fleet = FleetSpec.parse(o.string("topology", "1p2d-70b"), profile)
                .withKvAdmission(KvAdmission.valueOf(o.string("kv-admission", "lazy").toUpperCase(Locale.ROOT)));
        RouterView view = parseView(o.string("view", "ledger"));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = Path.of(o.string("out", "sim-results/" + experiment + "-" + stamp));
        return new CommonOptions(fleet, view, o.longValue("seed", 1), o.duration("duration", defaultDuration),
                o.duration("warmup", Duration.ofSeconds(10)), new ReportWriter(out));
    }

    /** One line for a report: topology, KV admission, router view, run length, seed. */
    String describe() {
        return fleet.name() + " (" + fleet.prefillWorkers() + "P/" + fleet.decodeWorkers() + "D, "
                + fleet.prefillProfile().name() + "), KV admission " + fleet.kvAdmission().name().toLowerCase(Locale.ROOT)
                + ", " + view.describe() + ", " + duration.toSeconds() + " s simulated per run (warmup "
                + warmup.toSeconds() + " s), seed " + seed;
    }

    static RouterView parseView(String spec) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "ledger" -> RouterView.LEDGER;
            case "polled" -> RouterView.polled(parts.length > 1 ? SimOptions.parseDuration("view", parts[1])
                    : RouterView.DEFAULT_POLL_INTERVAL);
            case "replicas" -> RouterView.replicas(Integer.parseInt(parts[1]),
                    parts.length > 2 ? SimOptions.parseDuration("view", parts[2]) : null);
            default -> throw new IllegalArgumentException("--view must be ledger, polled[:interval] or "
                    + "replicas:N[:share-delay], got '" + spec + "'");
        };
    }
}
