package mailroom.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;

/**
 * What ends a connection. Helidon 4.2 keeps reading a connection after an answer that says
 * {@code Connection: close} (and skips whatever body the handler left unread), so the bytes of that body
 * would be parsed as further requests. This filter ends the connection once such an answer is sent:
 * a client's {@code Connection: close} is honoured, and so is the pipeline's own (after an oversized body).
 */
public final class Connections {
    private Connections() {}

    /** Registered first on the routing, so it sees every answer, unknown paths included. */
    public static Filter closeWhenAnswered() {
        return (chain, req, res) -> {
            chain.proceed();
            if (req.headers().contains(HeaderValues.CONNECTION_CLOSE) || res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
                throw new CloseConnectionException("answered with Connection: close");
            }
        };
    }
}
