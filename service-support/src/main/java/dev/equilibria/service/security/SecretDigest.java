package dev.equilibria.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests of secrets (admin token, API keys), so a secret is held and compared only as its digest: two
 * digests always have the same length, {@link MessageDigest#isEqual} compares them in constant time, and a lookup
 * keyed by digest leaks nothing an attacker can turn back into the secret.
 */
public final class SecretDigest {

    private static final String ALGORITHM = "SHA-256";

    private SecretDigest() {
    }

    public static byte[] of(String secret) {
        try {
            return MessageDigest.getInstance(ALGORITHM).digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        }
    }

    /** Whether {@code presented} is the secret whose digest is {@code expected}, in time independent of both. */
    public static boolean matches(byte[] expected, String presented) {
        return MessageDigest.isEqual(expected, of(presented));
    }
}
