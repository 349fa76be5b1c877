package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Equilibria Grafana dashboard (helm/equilibria/dashboards/equilibria.json), shipped by both compose and Helm:
 * the monitor page's panels, only metrics the fleet exports, sound PromQL, a datasource chosen by variable, and a
 * grid without overlaps.
 */
class GrafanaDashboardTest {

    /** Metrics the services export (Prometheus names), as their READMEs and the monitor/allocator contracts list. */
    static final Set<String> EXPORTED = Set.of(
            "equilibria_gateway_requests_total", "equilibria_gateway_ttft_seconds_bucket",
            "equilibria_gateway_request_duration_seconds_bucket", "equilibria_gateway_legs_total",
            "equilibria_gateway_itl_seconds_bucket", "equilibria_gateway_requests_in_flight",
            "equilibria_worker_requests_running", "equilibria_worker_requests_waiting", "equilibria_worker_kv_usage",
            "equilibria_worker_prefix_cache_hit_rate", "equilibria_worker_generation_tokens_total",
            "equilibria_worker_prompt_tokens_total", "equilibria_worker_step_time_seconds_bucket",
            "equilibria_fleet_workers", "equilibria_monitor_poa_hat", "equilibria_monitor_ttft_inflation",
            "equilibria_monitor_load_imbalance", "equilibria_monitor_regime", "equilibria_allocator_pool_workers");
    /** The monitor page's panels: each must be on the dashboard, by title. */
    static final List<String> PANELS = List.of("Requests/s", "Requests in flight", "TTFT p50 / p99",
            "Inter-token latency p50 / p99", "PoA-hat", "TTFT inflation", "Load imbalance", "Regime", "P/D split",
            "Per-worker load", "Traffic share", "KV hit rate");
    private static final Pattern METRIC = Pattern.compile("\\bequilibria_[a-z0-9_]+");
    private static final String DATASOURCE_UID = "${datasource}";

    static JsonNode dashboard;
    static List<JsonNode> panels;

    @BeforeAll
    static void load() throws Exception {
        dashboard = Yamls.JSON.readTree(Repo.read(Repo.DASHBOARD));
        panels = Rendered.elements(dashboard.path("panels")).stream()
                .filter(p -> !p.path("type").asText().equals("row")).toList();
    }

    @Test
    void isAnImportableDashboardWithAStableUid() {
        assertThat(dashboard.path("uid").asText()).isEqualTo("equilibria");
        assertThat(dashboard.path("title").asText()).isEqualTo("Equilibria");
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("id").isMissingNode() || dashboard.path("id").isNull()).as("no instance id").isTrue();
        assertThat(dashboard.at("/time/from").asText()).startsWith("now-");
    }

    @Test
    void picksItsPrometheusThroughAVariable() {
        JsonNode variable = Rendered.elements(dashboard.at("/templating/list")).stream()
                .filter(v -> v.path("name").asText().equals("datasource")).findFirst().orElseThrow();
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");

        for (JsonNode panel : panels) {
            assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText()).isEqualTo(DATASOURCE_UID);
            for (JsonNode target : Rendered.elements(panel.path("targets"))) {
                assertThat(target.at("/datasource/uid").asText()).isEqualTo(DATASOURCE_UID);
            }
        }
    }

    @Test
    void hasTheMonitorPagesPanels() {
        assertThat(panels).extracting(p -> p.path("title").asText()).containsAll(PANELS);
        assertThat(panels).allSatisfy(p -> {
            assertThat(p.path("targets").size()).as(p.path("title").asText() + " queries").isPositive();
            assertThat(p.path("description").asText()).as(p.path("title").asText() + " description").isNotBlank();
        });
    }

    @Test
    void showsTheRegimeByName() {
        JsonNode regime = panels.stream().filter(p -> p.path("title").asText().equals("Regime")).findFirst().orElseThrow();
        JsonNode options = regime.at("/fieldConfig/defaults/mappings/0/options");

        assertThat(options.at("/0/text").asText()).isEqualTo("BELOW");
        assertThat(options.at("/1/text").asText()).isEqualTo("TRANSITION");
        assertThat(options.at("/2/text").asText()).isEqualTo("SATURATED");
        assertThat(regime.at("/targets/0/expr").asText()).contains("equilibria_monitor_regime");
    }

    @Test
    void queriesOnlyWhatTheFleetExportsAndUsesAllOfIt() {
        Set<String> used = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher metric = METRIC.matcher(expr);
            while (metric.find()) {
                used.add(metric.group());
            }
        }
        assertThat(used).isSubsetOf(EXPORTED);
        assertThat(used).containsAll(EXPORTED);
    }

    @Test
    void writesSoundPromQl() {
        for (String expr : expressions()) {
            assertThat(balanced(expr)).as("brackets of " + expr).isTrue();
            Matcher rate = Pattern.compile("\\b(rate|increase)\\((equilibria_[a-z0-9_]+)").matcher(expr);
            while (rate.find()) {
                assertThat(rate.group(2)).as("rate() of a counter or histogram bucket in " + expr)
                        .matches(".*_(total|bucket|count|sum)");
                assertThat(expr.substring(rate.end())).as("range of " + expr).startsWith("[$__rate_interval]");
            }
            if (expr.contains("_bucket")) {
                assertThat(expr).as(expr).startsWith("histogram_quantile(0.").contains("by (le");
            }
            Matcher gauge = Pattern.compile("\\b(equilibria_[a-z0-9_]+)").matcher(expr);
            while (gauge.find()) {
                if (gauge.group(1).endsWith("_total") || gauge.group(1).endsWith("_bucket")) {
                    String before = expr.substring(0, gauge.start());
                    assertThat(before).as("counter %s must be rated in %s", gauge.group(1), expr).endsWith("rate(");
                }
            }
        }
    }

    @Test
    void laysOutPanelsOnTheGridWithoutOverlap() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : Rendered.elements(dashboard.path("panels"))) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id " + panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt();
            int y = grid.path("y").asInt();
            int w = grid.path("w").asInt();
            int h = grid.path("h").asInt();
            assertThat(w).isBetween(1, 24);
            assertThat(h).isPositive();
            assertThat(x + w).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                assertThat(overlaps).as(panel.path("title").asText() + " overlaps another panel").isFalse();
            }
            boxes.add(new int[] {x, y, w, h});
        }
    }

    private static List<String> expressions() {
        return panels.stream().flatMap(p -> Rendered.elements(p.path("targets")).stream())
                .map(t -> t.path("expr").asText()).toList();
    }

    private static boolean balanced(String expr) {
        StringBuilder stack = new StringBuilder();
        for (char c : expr.toCharArray()) {
            switch (c) {
                case '(', '[', '{' -> stack.append(c);
                case ')', ']', '}' -> {
                    char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (stack.isEmpty() || stack.charAt(stack.length() - 1) != open) {
                        return false;
                    }
                    stack.setLength(stack.length() - 1);
                }
                default -> {
                }
            }
        }
        return stack.isEmpty();
    }
}
