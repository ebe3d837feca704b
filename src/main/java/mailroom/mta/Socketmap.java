package mailroom.mta;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import mailroom.directory.delivery.AliasAnswer;
import mailroom.directory.delivery.Delivery;
import mailroom.directory.delivery.DeliveryRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's socketmap protocol ({@code socketmap_table(5)}) over the directory's delivery answers: maps
 * domain, mailbox, alias and senders. A store failure answers TEMP so Postfix defers instead of bouncing.
 */
public final class Socketmap implements Listener.Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(Socketmap.class);

    /** Longest request served; real ones are a map name and one address. */
    static final int MAX_REQUEST = 64 * 1024;
    /** Postfix's own limit on a socketmap reply. */
    static final int MAX_REPLY = Delivery.MAX_ANSWER_CHARACTERS;

    static final String NOTFOUND = "NOTFOUND ";
    static final String TEMP_STORE = "TEMP directory unavailable";
    static final String TEMP_TOO_LARGE = "TEMP group expands past the limit";
    static final String TEMP_REPLY_TOO_LARGE = "TEMP reply too large";
    static final String PERM_UNKNOWN_MAP = "PERM unknown map; the maps are domain, mailbox, alias and senders";
    static final String PERM_NO_KEY = "PERM malformed request; expected '<map> <key>'";

    private final Delivery delivery;
    private final DeliveryRules rules;
    private final MtaMetrics metrics;

    public Socketmap(Delivery delivery, DeliveryRules rules, MtaMetrics metrics) {
        this.delivery = delivery;
        this.rules = rules;
        this.metrics = metrics;
    }

    @Override
    public void run(InputStream rawIn, OutputStream rawOut) throws IOException {
        InputStream in = new BufferedInputStream(rawIn);
        OutputStream out = new BufferedOutputStream(rawOut);
        while (true) {
            byte[] request;
            try {
                request = Netstrings.read(in, MAX_REQUEST);
            } catch (Netstrings.FramingException e) {
                // The stream is out of step: answer what we can, then end the connection.
                metrics.lookup("invalid", "perm", System.nanoTime());
                Netstrings.write(out, "PERM " + e.getMessage());
                out.flush();
                return;
            }
            if (request == null) return;
            Netstrings.write(out, answer(new String(request, StandardCharsets.UTF_8)));
            // Every answer goes out at once: a client may wait for it before sending the rest of its next request.
            out.flush();
        }
    }

    /** The reply to one request payload ("{@code <map> <key>}"), without its framing. */
    String answer(String request) {
        long started = System.nanoTime();
        int space = request.indexOf(' ');
        if (space < 0) {
            metrics.lookup("invalid", "perm", started);
            return PERM_NO_KEY;
        }
        String map = request.substring(0, space);
        String key = request.substring(space + 1);
        if (!List.of("domain", "mailbox", "alias", "senders").contains(map)) {
            metrics.lookup("invalid", "perm", started);
            return PERM_UNKNOWN_MAP;
        }
        String reply;
        try {
            reply = switch (map) {
                case "domain" -> delivery.domainExists(key) ? "OK " + key.trim().toLowerCase(Locale.ROOT) : NOTFOUND;
                case "mailbox" -> found(delivery.mailbox(key, rules));
                case "alias" -> alias(delivery.alias(key, rules));
                default -> found(delivery.senders(key, rules));
            };
        } catch (RuntimeException e) {
            LOG.warn("socketmap {} lookup failed; answered TEMP so the mail waits", map, e);
            reply = TEMP_STORE;
        }
        if (reply.length() > MAX_REPLY) reply = map.equals("alias") ? TEMP_TOO_LARGE : TEMP_REPLY_TOO_LARGE;
        metrics.lookup(map, result(reply), started);
        return reply;
    }

    private static String found(Optional<String> primary) {
        return primary.map(p -> "OK " + p).orElse(NOTFOUND);
    }

    private static String found(List<String> addresses) {
        return addresses.isEmpty() ? NOTFOUND : "OK " + String.join(",", addresses);
    }

    private static String alias(AliasAnswer answer) {
        return switch (answer.kind()) {
            case NOT_FOUND -> NOTFOUND;
            case TOO_LARGE -> TEMP_TOO_LARGE;
            case TARGETS -> "OK " + answer.commaSeparated();
        };
    }

    private static String result(String reply) {
        return reply.startsWith("OK ") ? "ok" : reply.startsWith("NOTFOUND") ? "notfound" : reply.startsWith("TEMP") ? "temp" : "perm";
    }
}
