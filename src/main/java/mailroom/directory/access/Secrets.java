package mailroom.directory.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * How secrets are kept: app secrets (chosen by people, so possibly weak) as salted PBKDF2; bearer
 * tokens (looked up on every request) as SHA-256, which is safe because our tokens are random.
 */
public final class Secrets {
    private static final int ITERATIONS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * What a secret is checked against when there is no stored hash (an unknown app id): the same PBKDF2 at
     * the same iteration count, so that an unknown id costs what a wrong secret costs and the time of an answer
     * does not tell which ids exist. A fixed salt and digest, not the hash of anything: no secret is ever
     * accepted by it in practice, and it costs nothing at start-up.
     */
    private static final String NO_HASH = "pbkdf2$" + ITERATIONS + "$bm8gc3VjaCBhcHAgaGVyZQ==$"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    /** PBKDF2 derivations done since start and the iteration count of the last one: read by this package's tests. */
    static final AtomicLong PBKDF2_RUNS = new AtomicLong();
    static volatile int lastIterations;

    private Secrets() {}

    public static String hashPassword(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(pbkdf2(secret, salt, ITERATIONS));
    }

    public static boolean verifyPassword(String secret, String stored) {
        if (secret == null || stored == null) return false;
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2")) return false;
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = pbkdf2(secret, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * As {@link #verifyPassword} against the stored hash, or — when nothing is stored — against a fixed hash of
     * the same cost, answering false: a caller that checks a credential of an unknown owner this way spends the
     * same time as for a known owner with a wrong secret.
     */
    public static boolean verifyPassword(String secret, java.util.Optional<String> stored) {
        if (stored.isPresent()) return verifyPassword(secret, stored.get());
        verifyPassword(secret == null ? "" : secret, NO_HASH);
        return false;
    }

    public static String hashToken(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
        PBKDF2_RUNS.incrementAndGet();
        lastIterations = iterations;
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }
}
