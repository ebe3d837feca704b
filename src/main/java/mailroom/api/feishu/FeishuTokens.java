package mailroom.api.feishu;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless access tokens: {@code t-<payload>.<hmac>} signed with the secret every node reads from the
 * database, so a token stays valid for its whole lifetime across restarts and nodes. Tokens are
 * issued per 90-minute window: asking again returns the same token while more than 30 minutes of
 * its 2-hour life remain, as the platform does.
 */
public final class FeishuTokens {
    public static final long LIFETIME_SECONDS = 7200;
    static final long WINDOW_SECONDS = 5400;

    /** What a verified token says: which app, which tenant, which kind. */
    public record Claims(String kind, String appId, String tenantKey, long expiresAtSeconds) {}

    /** Most verified tokens remembered; a server sees one token per app and 90-minute window. */
    private static final int VERIFIED_KEPT = 10_000;

    private volatile byte[] key;
    private final Clock clock;
    /** Tokens whose signature checked out, with what they say; expiry is still checked on every use. */
    private final Map<String, Claims> verified = new ConcurrentHashMap<>();

    public FeishuTokens(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    public record Issued(String token, long expireSeconds) {}

    /** Signs with a new key from now on: every token signed with the old one stops verifying at once. */
    public void rekey(byte[] newKey) {
        this.key = newKey.clone();
        verified.clear();
    }

    /** kind is "t" (tenant_access_token) or "a" (app_access_token). */
    public Issued issue(String kind, String appId, String tenantKey) {
        long now = clock.millis() / 1000;
        long issuedAt = now - Math.floorMod(now, WINDOW_SECONDS);
        String payload = kind + "|" + appId + "|" + tenantKey + "|" + issuedAt;
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return new Issued(kind + "-" + encoded + "." + sign(encoded), issuedAt + LIFETIME_SECONDS - now);
    }

    public Optional<Claims> verify(String token) {
        Claims known = token == null ? null : verified.get(token);
        if (known != null) return unexpired(known);
        Optional<Claims> claims = check(token);
        if (claims.isPresent()) {
            // Only tokens we signed get in, so nobody can fill the map with guesses; it starts over when full.
            if (verified.size() >= VERIFIED_KEPT) verified.clear();
            verified.put(token, claims.get());
        }
        return claims;
    }

    private Optional<Claims> unexpired(Claims claims) {
        return clock.millis() / 1000 >= claims.expiresAtSeconds() ? Optional.empty() : Optional.of(claims);
    }

    private Optional<Claims> check(String token) {
        if (token == null || token.length() < 3 || token.charAt(1) != '-') return Optional.empty();
        int dot = token.lastIndexOf('.');
        if (dot < 0) return Optional.empty();
        String encoded = token.substring(2, dot);
        byte[] expected = sign(encoded).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parts.length != 4 || !parts[0].equals(token.substring(0, 1))) return Optional.empty();
        return unexpired(new Claims(parts[0], parts[1], parts[2], Long.parseLong(parts[3]) + LIFETIME_SECONDS));
    }

    private String sign(String encoded) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
