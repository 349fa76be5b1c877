package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningFleetTest {

    private static RunningFleet fleet(String model) {
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--port-offset", "5"}, Map.of(), Path.of("/repo"));
        return new RunningFleet(options, "127.0.0.1:9097", true, ServiceSpec.fleet(options, "127.0.0.1:9097", "t"),
                AdminToken.resolve(Map.of(), new SecureRandom()), model, List.of());
    }

    @Test
    void theCurlStreamsACompletionFromTheGatewayForTheListedModel() {
        assertThat(fleet("llama-3.1-70b").exampleCurl()).isEqualTo(
                "curl -N http://127.0.0.1:8085/v1/completions -H 'Content-Type: application/json' -d "
                        + "'{\"model\":\"llama-3.1-70b\",\"prompt\":\"" + RunningFleet.EXAMPLE_PROMPT
                        + "\",\"max_tokens\":32,\"stream\":true}'");
    }

    @Test
    void quotesOddModelNamesForJsonAndTheShell() {
        assertThat(RunningFleet.completionRequest("it's \"x\"\\", "p", 4))
                .isEqualTo("{\"model\":\"it's \\\"x\\\"\\\\\",\"prompt\":\"p\",\"max_tokens\":4,\"stream\":true}");
        assertThat(RunningFleet.shellQuote("it's")).isEqualTo("'it'\\''s'");
    }
}
