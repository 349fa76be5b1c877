package dev.equilibria.fleet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one {@code ./fleet bench} run sends, where, and for how long; read from the arguments, the environment second.
 *
 * @param url              the gateway's base URL; empty: the running fleet's (from {@code home})
 * @param model            the model to ask for; empty: the first one the gateway lists
 * @param home             the fleet home to read the gateway port and admin token from; empty: {@code <root>/.fleet}
 * @param adminToken       the admin token, used only to record the gateway's router configuration in the summary
 * @param apiKey           sent as {@code Authorization: Bearer} on the public API, when the gateway asks for keys
 * @param workload         which of the simulator's workloads
 * @param trace            a trace file in the workload's format; empty: the bundled one
 * @param concurrency      closed loop with this many clients; empty: the workload's default loop (see {@link #closedLoop})
 * @param rate             open-loop arrivals per second of the synthetic workloads
 * @param gammaShape       gamma arrivals' shape (1 = Poisson)
 * @param speedup          trace arrival times are divided by this (2 = twice the rate)
 * @param requests         stop issuing after this many requests
 * @param duration         stop issuing after this long; whichever limit comes first
 * @param promptTokens     prompt length of the paper and synthetic workloads
 * @param outputTokens     {@code max_tokens} of the paper and synthetic workloads
 * @param templates        the paper workload's prompt templates
 * @param maxInputTokens   trace prompts are cut to this (0: as recorded)
 * @param maxOutputTokens  trace outputs are cut to this (0: as recorded)
 * @param sharingRatio     share of a synthetic or Azure prompt that is a shared prefix
 * @param seed             the workload's random seed
 * @param sloTtftMs        goodput SLO on time to first token
 * @param sloItlMs         goodput SLO on a request's mean inter-token latency
 * @param sloE2eMs         goodput SLO on end-to-end latency
 * @param requestTimeout   a request not finished within this is recorded as a {@code timeout}
 * @param errorBackoff     a closed-loop client pauses this long after a failed request, so an outage is not a busy loop
 * @param maxInFlight      open loop: arrivals beyond this many unfinished requests wait (a client-side safety cap)
 * @param out              where the CSV and JSON go; empty: {@code bench-results/<workload>-<time>}
 * @param progress         progress lines on stderr
 */
public record BenchOptions(Optional<String> url, Optional<String> model, Optional<Path> home, Optional<String> adminToken,
                           Optional<String> apiKey, Workload workload, Optional<Path> trace, OptionalInt concurrency,
                           double rate, double gammaShape, double speedup, int requests, Optional<Duration> duration,
                           int promptTokens, int outputTokens, int templates, int maxInputTokens, int maxOutputTokens,
                           double sharingRatio, long seed, OptionalDouble sloTtftMs, OptionalDouble sloItlMs,
                           OptionalDouble sloE2eMs, Duration requestTimeout, Duration errorBackoff, int maxInFlight,
                           Optional<Path> out, boolean progress) {

    /** The simulator workloads the generator can send. */
    public enum Workload {
        PAPER, MOONCAKE, AZURE, POISSON, GAMMA;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isTrace() {
            return this == MOONCAKE || this == AZURE;
        }
    }

    public static final Workload DEFAULT_WORKLOAD = Workload.PAPER;
    /** The paper workload's clients when {@code --concurrency} is not given. */
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final double DEFAULT_RATE = 10.0;
    /** Below 1 is burstier than Poisson (CV = 1/sqrt(k)). */
    public static final double DEFAULT_GAMMA_SHAPE = 0.5;
    public static final double DEFAULT_SPEEDUP = 1.0;
    /** Used when neither {@code --requests} nor {@code --duration} is given. */
    public static final int DEFAULT_REQUESTS = 200;
    public static final int DEFAULT_PROMPT_TOKENS = 128;
    public static final int DEFAULT_OUTPUT_TOKENS = 128;
    public static final int DEFAULT_TEMPLATES = 5;
    public static final double DEFAULT_SHARING_RATIO = 0.5;
    public static final long DEFAULT_SEED = 42;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(300);
    public static final Duration DEFAULT_ERROR_BACKOFF = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_IN_FLIGHT = 2048;

    public static final String ENV_API_KEY = "EQUILIBRIA_API_KEY";
    public static final String ENV_ADMIN_TOKEN = "EQUILIBRIA_ADMIN_TOKEN";

    public BenchOptions {
        if (concurrency.isPresent() && concurrency.getAsInt() < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency.getAsInt());
        }
        requirePositive("--rate", rate);
        requirePositive("--gamma-shape", gammaShape);
        requirePositive("--speedup", speedup);
        if (requests < 1) {
            throw new IllegalArgumentException("--requests must be at least 1, got " + requests);
        }
        if (duration.isPresent() && (duration.get().isZero() || duration.get().isNegative())) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (promptTokens < 1 || outputTokens < 1 || templates < 1) {
            throw new IllegalArgumentException("--prompt-tokens, --output-tokens and --templates must be at least 1");
        }
        if (maxInputTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("--max-input-tokens and --max-output-tokens must be 0 (no cap) or more");
        }
        if (!(sharingRatio >= 0 && sharingRatio <= 1)) {
            throw new IllegalArgumentException("--sharing-ratio must be within 0..1, got " + sharingRatio);
        }
        for (OptionalDouble slo : new OptionalDouble[] {sloTtftMs, sloItlMs, sloE2eMs}) {
            if (slo.isPresent()) {
                requirePositive("an SLO", slo.getAsDouble());
            }
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("--request-timeout must be positive");
        }
        if (errorBackoff.isNegative()) {
            throw new IllegalArgumentException("--error-backoff must not be negative");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("--max-in-flight must be at least 1, got " + maxInFlight);
        }
        if (trace.isPresent() && !workload.isTrace()) {
            throw new IllegalArgumentException("--trace needs --workload mooncake or azure");
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }

    /**
     * Closed loop for the paper workload always, and for the others when {@code --concurrency} is given (they then
     * ignore arrival times); else open loop at the workload's own arrival times.
     */
    public boolean closedLoop() {
        return workload == Workload.PAPER || concurrency.isPresent();
    }

    /** Clients of a closed loop. */
    public int clients() {
        return concurrency.orElse(DEFAULT_CONCURRENCY);
    }

    /** The defaults, for tests and for the fault injectors that drive load: the paper workload at {@code c}. */
    public static BenchOptions paper(String url, String model, int concurrency, int outputTokens) {
        return parse(new String[] {"--url", url, "--model", model, "--concurrency", Integer.toString(concurrency),
                "--output-tokens", Integer.toString(outputTokens)}, Map.of());
    }

    public BenchOptions withLimits(int requests, Optional<Duration> duration) {
        return new BenchOptions(url, model, home, adminToken, apiKey, workload, trace, concurrency, rate, gammaShape,
                speedup, requests, duration, promptTokens, outputTokens, templates, maxInputTokens, maxOutputTokens,
                sharingRatio, seed, sloTtftMs, sloItlMs, sloE2eMs, requestTimeout, errorBackoff, maxInFlight, out,
                progress);
    }

    public BenchOptions withProgress(boolean show) {
        return new BenchOptions(url, model, home, adminToken, apiKey, workload, trace, concurrency, rate, gammaShape,
                speedup, requests, duration, promptTokens, outputTokens, templates, maxInputTokens, maxOutputTokens,
                sharingRatio, seed, sloTtftMs, sloItlMs, sloE2eMs, requestTimeout, errorBackoff, maxInFlight, out,
                show);
    }

    public static final String USAGE = """
            usage: ./fleet bench [options]

            Sends one of the simulator's workloads to a running gateway over HTTP (streamed /v1/completions with
            token-id prompts), records every request's TTFT, inter-token latencies, end-to-end latency, tokens and
            errors, and prints p50/p90/p99 with throughput and goodput. Writes requests.csv and summary.json.

            target (default: the fleet started by ./fleet up, read from its home):
              --url URL                 gateway base URL, e.g. http://127.0.0.1:8080
              --model NAME              model to ask for (default: the first the gateway lists)
              --home DIR                fleet home to read the gateway port and admin token from (default .fleet)
              --admin-token TOKEN       records the gateway's router configuration in summary.json
                                        (env EQUILIBRIA_ADMIN_TOKEN, else the fleet home's admin-token)
              --api-key KEY             Authorization: Bearer KEY on the public API (env EQUILIBRIA_API_KEY)

            workload:
              --workload NAME           paper | mooncake | azure | poisson | gamma           (default paper)
              --trace FILE              a Mooncake JSONL / Azure CSV file (default: the bundled trace)
              --concurrency C           closed loop with C clients (paper: default 16; others: open loop unless given)
              --rate R                  poisson/gamma arrivals per second                    (default 10)
              --gamma-shape K           gamma arrivals' shape; < 1 is burstier than Poisson  (default 0.5)
              --speedup X               divide trace arrival times by X (rate scaling)       (default 1)
              --prompt-tokens N         paper/poisson/gamma prompt length                    (default 128)
              --output-tokens N         paper/poisson/gamma max_tokens                       (default 128)
              --templates N             paper prompt templates                               (default 5)
              --max-input-tokens N      cut trace prompts to N tokens (0: as recorded)       (default 0)
              --max-output-tokens N     cut trace outputs to N tokens (0: as recorded)       (default 0)
              --sharing-ratio F         shared-prefix share of azure/poisson/gamma prompts   (default 0.5)
              --seed S                                                                       (default 42)

            limits (whichever comes first; default 200 requests):
              --requests N              stop issuing after N requests
              --duration D              stop issuing after D (e.g. 90s, 5m); in-flight requests finish

            goodput SLOs (a request is good when it succeeded and meets every SLO given):
              --slo-ttft-ms MS          time to first token
              --slo-itl-ms MS           the request's mean inter-token latency
              --slo-e2e-ms MS           end-to-end latency

            other:
              --request-timeout D       a request still running after D is a timeout        (default 300s)
              --error-backoff D         closed-loop pause after a failed request             (default 100ms)
              --max-in-flight N         open loop: client-side cap on unfinished requests    (default 2048)
              --out DIR                 output folder (default bench-results/<workload>-<time>)
              --quiet                   no progress lines on stderr
              -h, --help                this text
            """;

    /**
     * Reads the arguments after {@code bench}.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    public static BenchOptions parse(String[] args, Map<String, String> env) {
        String url = null;
        String model = null;
        Path home = null;
        String adminToken = blankToNull(env.get(ENV_ADMIN_TOKEN));
        String apiKey = blankToNull(env.get(ENV_API_KEY));
        Workload workload = DEFAULT_WORKLOAD;
        Path trace = null;
        Integer concurrency = null;
        double rate = DEFAULT_RATE;
        double gammaShape = DEFAULT_GAMMA_SHAPE;
        double speedup = DEFAULT_SPEEDUP;
        Integer requests = null;
        Duration duration = null;
        int promptTokens = DEFAULT_PROMPT_TOKENS;
        int outputTokens = DEFAULT_OUTPUT_TOKENS;
        int templates = DEFAULT_TEMPLATES;
        int maxInput = 0;
        int maxOutput = 0;
        double sharing = DEFAULT_SHARING_RATIO;
        long seed = DEFAULT_SEED;
        Double sloTtft = null;
        Double sloItl = null;
        Double sloE2e = null;
        Duration timeout = DEFAULT_REQUEST_TIMEOUT;
        Duration backoff = DEFAULT_ERROR_BACKOFF;
        int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        Path out = null;
        boolean progress = true;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (name.equals("--quiet")) {
                progress = false;
                continue;
            }
            if (name.equals("-h") || name.equals("--help")) {
                throw new HelpRequested();
            }
            String value = inline != null ? inline : value(args, ++i, name);
            switch (name) {
                case "--url" -> url = stripSlash(value);
                case "--model" -> model = value;
                case "--home" -> home = Path.of(value);
                case "--admin-token" -> adminToken = value;
                case "--api-key" -> apiKey = value;
                case "--workload" -> workload = workload(value);
                case "--trace" -> trace = Path.of(value);
                case "--concurrency" -> concurrency = parseInt(name, value);
                case "--rate" -> rate = parseDouble(name, value);
                case "--gamma-shape" -> gammaShape = parseDouble(name, value);
                case "--speedup" -> speedup = parseDouble(name, value);
                case "--requests" -> requests = parseInt(name, value);
                case "--duration" -> duration = parseDuration(name, value);
                case "--prompt-tokens" -> promptTokens = parseInt(name, value);
                case "--output-tokens" -> outputTokens = parseInt(name, value);
                case "--templates" -> templates = parseInt(name, value);
                case "--max-input-tokens" -> maxInput = parseInt(name, value);
                case "--max-output-tokens" -> maxOutput = parseInt(name, value);
                case "--sharing-ratio" -> sharing = parseDouble(name, value);
                case "--seed" -> seed = parseLong(name, value);
                case "--slo-ttft-ms" -> sloTtft = parseDouble(name, value);
                case "--slo-itl-ms" -> sloItl = parseDouble(name, value);
                case "--slo-e2e-ms" -> sloE2e = parseDouble(name, value);
                case "--request-timeout" -> timeout = parseDuration(name, value);
                case "--error-backoff" -> backoff = parseDuration(name, value);
                case "--max-in-flight" -> maxInFlight = parseInt(name, value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (requests == null) {
            requests = duration == null ? DEFAULT_REQUESTS : Integer.MAX_VALUE;
        }
        return new BenchOptions(Optional.ofNullable(url), Optional.ofNullable(model), Optional.ofNullable(home),
                Optional.ofNullable(adminToken), Optional.ofNullable(apiKey), workload, Optional.ofNullable(trace),
                concurrency == null ? OptionalInt.empty() : OptionalInt.of(concurrency), rate, gammaShape, speedup,
                requests, Optional.ofNullable(duration), promptTokens, outputTokens, templates, maxInput, maxOutput,
                sharing, seed, optional(sloTtft), optional(sloItl), optional(sloE2e), timeout, backoff, maxInFlight,
                Optional.ofNullable(out), progress);
    }

    /** Thrown by {@link #parse} for {@code --help}. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    private static Workload workload(String value) {
        try {
            return Workload.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--workload must be paper, mooncake, azure, poisson or gamma, got '"
                    + value + "'");
        }
    }

    /**
     * A duration such as {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h}, or a plain number of seconds.
     */
    public static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            double number;
            double unitSeconds = 1;
            if (v.endsWith("s")) {
                number = Double.parseDouble(v.substring(0, v.length() - 1));
            } else if (v.endsWith("m")) {
                number = Double.parseDouble(v.substring(0, v.length() - 1));
                unitSeconds = 60;
            } else if (v.endsWith("h")) {
                number = Double.parseDouble(v.substring(0, v.length() - 1));
                unitSeconds = 3600;
            } else {
                number = Double.parseDouble(v);
            }
            if (!Double.isFinite(number) || number < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(number * unitSeconds * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 90s or 5m, got '" + value + "'");
        }
    }

    private static String value(String[] args, int index, String name) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index];
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static double parseDouble(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
