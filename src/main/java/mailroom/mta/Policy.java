package mailroom.mta;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import mailroom.directory.delivery.Delivery;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.directory.delivery.SendDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's policy delegation protocol ({@code SMTPD_POLICY_README}) deciding who may send to a mail
 * group at RCPT. It fails closed: a request it cannot read or a directory that cannot answer gets 451.
 */
public final class Policy implements Listener.Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(Policy.class);

    /** Longest request read; Postfix's are a few hundred bytes. */
    static final int MAX_REQUEST = 64 * 1024;

    static final String DUNNO = "DUNNO";
    static final String TEMP_MALFORMED = "451 4.3.0 malformed policy request";
    static final String TEMP_TOO_LARGE = "451 4.3.0 policy request too large";
    static final String TEMP_STORE = "451 4.3.0 directory unavailable";

    private final Delivery delivery;
    private final DeliveryRules rules;
    private final MtaMetrics metrics;

    public Policy(Delivery delivery, DeliveryRules rules, MtaMetrics metrics) {
        this.delivery = delivery;
        this.rules = rules;
        this.metrics = metrics;
    }

    /** One request as read: its attributes, or why it could not be read. */
    private record Request(Map<String, String> attributes, String malformed) {}

    @Override
    public void run(InputStream rawIn, OutputStream rawOut) throws IOException {
        InputStream in = new BufferedInputStream(rawIn);
        OutputStream out = new BufferedOutputStream(rawOut);
        while (true) {
            Request request = read(in);
            if (request == null) return;
            String action;
            if (request.malformed() != null) {
                metrics.decision("tempfail", request.malformed().equals(TEMP_TOO_LARGE) ? "too_large_request" : "malformed");
                action = request.malformed();
            } else {
                action = decide(request.attributes());
            }
            out.write(("action=" + action + "\n\n").getBytes(StandardCharsets.UTF_8));
            // Every answer goes out at once: a client may wait for it before sending the rest of its next request.
            out.flush();
            if (TEMP_TOO_LARGE.equals(request.malformed())) {
                // The rest of that request is still unread: the stream is out of step.
                return;
            }
        }
    }

    /** The next request up to its empty line; null when the client is done. */
    private static Request read(InputStream in) throws IOException {
        Map<String, String> attributes = new HashMap<>();
        String malformed = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int size = 0;
        while (true) {
            int b = in.read();
            if (b < 0) return null;
            if (++size > MAX_REQUEST) return new Request(Map.of(), TEMP_TOO_LARGE);
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
            if (text.isEmpty()) {
                if (attributes.isEmpty() && malformed == null) malformed = TEMP_MALFORMED;
                return new Request(attributes, malformed);
            }
            int eq = text.indexOf('=');
            if (eq <= 0) malformed = TEMP_MALFORMED;
            else attributes.put(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    /** The action for one well-formed request, without the "action=" prefix. */
    String decide(Map<String, String> a) {
        if (!"smtpd_access_policy".equals(a.get("request")) || !"RCPT".equalsIgnoreCase(a.get("protocol_state"))) {
            metrics.decision("dunno", "not_rcpt");
            return DUNNO;
        }
        String recipient = blankToNull(a.get("recipient"));
        if (recipient == null) {
            metrics.decision("tempfail", "malformed");
            return TEMP_MALFORMED;
        }
        String login = blankToNull(a.get("sasl_username"));
        String sender = blankToNull(a.get("sender"));
        SendDecision d;
        try {
            d = delivery.maySend(recipient, login, sender, rules);
        } catch (RuntimeException e) {
            LOG.warn("policy decision for a mail to {} failed; answered 451 so the sender retries", recipient, e);
            metrics.decision("tempfail", "directory");
            return TEMP_STORE;
        }
        String rule = d.rule() == null ? "unknown" : d.rule().toLowerCase(Locale.ROOT);
        return switch (d.verdict()) {
            case NOT_A_GROUP -> {
                metrics.decision("dunno", "not_a_group");
                yield DUNNO;
            }
            case ALLOWED -> {
                metrics.decision("allowed", rule);
                yield DUNNO;
            }
            case NOT_ALLOWED -> refuse(d, "not_allowed", sender, login,
                    "550 5.7.1 " + d.group() + ": you may not send to this mail group");
            case TOO_LARGE -> refuse(d, "too_large", sender, login,
                    "550 5.5.3 " + d.group() + ": mail group expands to more than " + d.limit() + " recipients");
            case EMPTY -> refuse(d, "empty", sender, login, "550 5.1.1 " + d.group() + ": mail group has no members");
        };
    }

    private String refuse(SendDecision d, String reason, String sender, String login, String action) {
        metrics.decision("refused", reason);
        LOG.info("policy refused: sender=<{}> login={} group={} rule={} reason={}", sender == null ? "" : sender,
                login == null ? "-" : login, d.group(), d.rule(), reason);
        return action;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
