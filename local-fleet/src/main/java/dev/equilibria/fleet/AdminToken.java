package dev.equilibria.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The bearer token of the services' {@code /admin} endpoints: {@code EQUILIBRIA_ADMIN_TOKEN} when set, else a fresh
 * random one per {@code up}; either way written, readable by its owner only, to {@code .fleet/admin-token}.
 *
 * @param value     the token
 * @param generated true when the launcher made it up, false when it came from the environment
 */
public record AdminToken(String value, boolean generated) {

    public static final String ENV = "EQUILIBRIA_ADMIN_TOKEN";
    /** 256 bits of randomness. */
    public static final int BYTES = 32;

    public AdminToken {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be blank");
        }
    }

    /** The environment's token, or a new one. */
    public static AdminToken resolve(Map<String, String> env, SecureRandom random) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new AdminToken(fromEnv.trim(), false);
        }
        return new AdminToken(generate(random), true);
    }

    /** A URL- and shell-safe random token (base64url, no padding). */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes the token to {@code file}, owner read/write only from the moment it exists, replacing an older one. */
    public void writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temp);
            }
            Files.writeString(temp, value + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[" + (generated ? "generated" : "from " + ENV) + "]";
    }
}
