package mailroom.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;

/**
 * What ends a connection. Helidon 4.2 keeps reading a connection after an answer that says
 * {@code Connection: close} (and skips whatever body the handler left unread), so the bytes of that body
 * would be parsed as further requests. This filter ends the connection once such an answer is sent:
 * a client's {@code Connection: close} is honoured, and so is the pipeline's own (after an oversized body).
 * A request framed by both Content-Length and Transfer-Encoding also ends its connection (RFC 9112
 * §6.3): a proxy in front may have framed it the other way, and what follows could be a smuggled request.
 */
public final class Connections {
    private Connections() {}

    /** Registered first on the routing, so it sees every answer, unknown paths included. */
    public static Filter closeWhenAnswered() {
        return (chain, req, res) -> {
            boolean ambiguousFraming = req.headers().contains(HeaderNames.CONTENT_LENGTH)
                    && req.headers().contains(HeaderNames.TRANSFER_ENCODING);
            if (ambiguousFraming) res.header(HeaderValues.CONNECTION_CLOSE);
            chain.proceed();
            if (ambiguousFraming || asksToClose(req.headers()) || asksToClose(res.headers())) {
                throw new CloseConnectionException("answered with Connection: close");
            }
        };
    }

    /** Whether a Connection header lists the "close" option, in any case and among other options. */
    static boolean asksToClose(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) return false;
        for (String value : headers.get(HeaderNames.CONNECTION).allValues()) {
            for (String option : value.split(",")) {
                if (option.trim().equalsIgnoreCase("close")) return true;
            }
        }
        return false;
    }
}
