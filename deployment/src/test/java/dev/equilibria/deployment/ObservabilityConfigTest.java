package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's Prometheus and Grafana configuration under deploy/: every service scraped where it listens,
 * the datasource pointing at the compose Prometheus, and the dashboard provisioned from the chart's own JSON.
 */
class ObservabilityConfigTest {

    private static final Map<String, String> ENV = Map.of();

    @Test
    void prometheusScrapesEveryServiceWhereItListens() {
        JsonNode config = Yamls.load(Repo.path(Repo.PROMETHEUS_CONFIG));
        JsonNode job = Rendered.elements(config.path("scrape_configs")).stream()
                .filter(j -> j.path("job_name").asText().equals("equilibria")).findFirst().orElseThrow();

        assertThat(job.path("metrics_path").asText()).isEqualTo("/actuator/prometheus");
        List<String> targets = Rendered.elements(job.path("static_configs")).stream()
                .flatMap(c -> Rendered.elements(c.path("targets")).stream()).map(JsonNode::asText).toList();
        assertThat(targets).containsExactlyInAnyOrderElementsOf(
                FleetService.ALL.stream().map(s -> s.name() + ":" + s.port()).toList());
    }

    @Test
    void composeRunsPrometheusWithThatConfig() {
        JsonNode prometheus = ComposeFile.interpolated(ENV).at("/services/prometheus");

        assertThat(Rendered.elements(prometheus.path("volumes"))).extracting(JsonNode::asText)
                .contains("./" + Repo.PROMETHEUS_CONFIG + ":/etc/prometheus/prometheus.yml:ro");
        assertThat(Rendered.elements(prometheus.path("command"))).extracting(JsonNode::asText)
                .contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    /** Debian's promtool checks the file offline; skipped where it is not installed. */
    @Test
    void promtoolAcceptsTheConfig() throws Exception {
        Optional<String> promtool = List.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst();
        assumeTrue(promtool.isPresent(), "promtool is not installed");

        Process process = new ProcessBuilder(promtool.get(), "check", "config", "--syntax-only",
                Repo.path(Repo.PROMETHEUS_CONFIG).toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void grafanasDatasourceIsTheComposePrometheus() {
        JsonNode datasources = Yamls.load(Repo.path(Repo.GRAFANA_PROVISIONING + "/datasources/prometheus.yml"));
        JsonNode prometheus = datasources.at("/datasources/0");

        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
        assertThat(ComposeFile.interpolated(ENV).at("/services/prometheus/ports/0").asText()).endsWith(":9090");
    }

    @Test
    void grafanaProvisionsTheChartsDashboard() {
        JsonNode grafana = ComposeFile.interpolated(ENV).at("/services/grafana");
        JsonNode provider = Yamls.load(Repo.path(Repo.GRAFANA_PROVISIONING + "/dashboards/equilibria.yml"))
                .at("/providers/0");
        String dashboards = provider.at("/options/path").asText();

        List<String> volumes = Rendered.elements(grafana.path("volumes")).stream().map(JsonNode::asText).toList();
        assertThat(volumes).contains("./" + Repo.GRAFANA_PROVISIONING + ":/etc/grafana/provisioning:ro");
        String dashboardDir = Path.of(Repo.DASHBOARD).getParent().toString();
        assertThat(volumes).contains("./" + dashboardDir + ":" + dashboards + ":ro");
        assertThat(grafana.at("/environment/GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo(dashboards + "/" + Path.of(Repo.DASHBOARD).getFileName());
        assertThat(provider.path("type").asText()).isEqualTo("file");
    }
}
