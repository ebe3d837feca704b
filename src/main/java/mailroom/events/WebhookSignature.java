package mailroom.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mailroom.directory.webhook.Webhooks;

/**
 * The Standard Webhooks signature: {@code v1,<base64 HMAC-SHA256 over "id.timestamp.body">}, keyed with the
 * base64-decoded part of a {@code whsec_} secret; one signature per secret, separated by spaces.
 */
public final class WebhookSignature {
    private WebhookSignature() {}

    public static String header(List<String> secrets, String id, long timestampSeconds, byte[] body) {
        List<String> out = new ArrayList<>();
        for (String secret : secrets) out.add("v1," + sign(secret, id, timestampSeconds, body));
        return String.join(" ", out);
    }

    static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        String encoded = secret.startsWith(Webhooks.SECRET_PREFIX) ? secret.substring(Webhooks.SECRET_PREFIX.length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
