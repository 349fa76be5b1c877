package dev.equilibria.fleet;

import java.util.List;
import java.util.Optional;

/**
 * A fleet that came up healthy: where everything listens and how to talk to it.
 *
 * @param options        what it was started with
 * @param bootstrap      the Kafka the services use
 * @param kafkaStarted   true when the launcher started that broker, false for {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param services       the five services, in start order
 * @param adminToken     the bearer token of the {@code /admin} endpoints
 * @param model          the model the gateway lists first (announced by the workers)
 * @param processes      the processes started, broker first
 */
public record RunningFleet(FleetOptions options, String bootstrap, boolean kafkaStarted, List<ServiceSpec> services,
                           AdminToken adminToken, String model, List<ServiceProcess> processes) {

    /** An example prompt for the printed curl. */
    public static final String EXAMPLE_PROMPT = "Explain disaggregated prefill and decode in one paragraph.";
    public static final int EXAMPLE_MAX_TOKENS = 32;

    public RunningFleet {
        services = List.copyOf(services);
        processes = List.copyOf(processes);
    }

    public FleetLayout layout() {
        return options.layout();
    }

    public ServiceSpec service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    public String gatewayUrl() {
        return service(ServiceSpec.GATEWAY).baseUrl();
    }

    public Optional<ServiceProcess> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The JSON body of a streamed completion request for {@code model}. */
    public static String completionRequest(String model, String prompt, int maxTokens) {
        return "{\"model\":" + jsonString(model) + ",\"prompt\":" + jsonString(prompt) + ",\"max_tokens\":" + maxTokens
                + ",\"stream\":true}";
    }

    /** A ready-to-paste {@code curl} that streams a completion from the gateway. */
    public String exampleCurl() {
        String body = completionRequest(model, EXAMPLE_PROMPT, EXAMPLE_MAX_TOKENS);
        return "curl -N " + gatewayUrl() + "/v1/completions -H 'Content-Type: application/json' -d "
                + shellQuote(body);
    }

    /** A JSON string literal for {@code value}, quotes included. */
    public static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Single-quotes a string for POSIX shells. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
