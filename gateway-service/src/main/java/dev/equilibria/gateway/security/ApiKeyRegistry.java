package dev.equilibria.gateway.security;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.service.security.SecretDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The API keys the gateway accepts, each with its own rate limit. Keys are held only as SHA-256 digests, and a
 * presented key is looked up by its digest: the lookup's timing can reveal nothing an attacker could turn back
 * into a key, and no key stays in memory in clear after startup.
 */
public final class ApiKeyRegistry {

    /** One key's identity and limiter. */
    public record Client(String name, TokenBucket bucket) {
    }

    private final boolean enabled;
    private final Map<String, Client> byDigest;

    ApiKeyRegistry(boolean enabled, List<ApiKeySpec> specs, double defaultRate, int defaultBurst,
                   LongSupplier nanoClock) {
        this.enabled = enabled;
        this.byDigest = Map.copyOf(specs.stream().collect(java.util.stream.Collectors.toMap(
                spec -> digest(spec.key()),
                spec -> new Client(spec.name(), new TokenBucket(spec.rate() == null ? defaultRate : spec.rate(),
                        spec.burst() == null ? defaultBurst : spec.burst(), nanoClock)))));
    }

    /**
     * From the settings: entries of {@code keys}, then of {@code file} (read with {@code readFile}). Enabled with no
     * key at all stops startup, since it would lock every client out.
     */
    public static ApiKeyRegistry from(GatewayProperties.ApiKeys settings, Function<Path, String> readFile,
                                      LongSupplier nanoClock) {
        List<ApiKeySpec> specs = new ArrayList<>(ApiKeySpec.parseAll(settings.keys(),
                GatewayProperties.PREFIX + ".api-keys.keys"));
        if (!settings.file().isEmpty()) {
            specs.addAll(ApiKeySpec.parseAll(readFile.apply(Path.of(settings.file())),
                    GatewayProperties.PREFIX + ".api-keys.file (" + settings.file() + ")"));
        }
        if (settings.enabled() && specs.isEmpty()) {
            throw new IllegalArgumentException(GatewayProperties.PREFIX + ".api-keys.enabled is true but no key is"
                    + " configured: set EQUILIBRIA_API_KEYS or EQUILIBRIA_API_KEYS_FILE");
        }
        if (specs.stream().map(ApiKeySpec::name).distinct().count() < specs.size()
                || specs.stream().map(ApiKeySpec::key).distinct().count() < specs.size()) {
            throw new IllegalArgumentException(GatewayProperties.PREFIX + ".api-keys: a key name or a key is"
                    + " configured twice (in keys and file together)");
        }
        return new ApiKeyRegistry(settings.enabled(), specs, settings.defaultRate(), settings.defaultBurst(),
                nanoClock);
    }

    /** Reads a key file, failing startup with a message that names the file but not its content. */
    public static String readKeyFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(GatewayProperties.PREFIX + ".api-keys.file: cannot read " + file
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public int size() {
        return byDigest.size();
    }

    /** The client whose key this is, if any. */
    public Optional<Client> find(String presentedKey) {
        return Optional.ofNullable(byDigest.get(digest(presentedKey)));
    }

    private static String digest(String key) {
        return HexFormat.of().formatHex(SecretDigest.of(key));
    }
}
