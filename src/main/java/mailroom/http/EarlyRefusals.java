package mailroom.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers for requests Helidon refuses before any door sees them (malformed percent-encoding or request
 * line → 400, request line too long → 414, body over {@link RequestBodies#DISCARD_LIMIT} → 413): an RFC 9457
 * problem whose {@code detail} also reads like a FastAPI error, so every client gets JSON, never an empty
 * or HTML body. A 500 carries an id that is also logged. Helidon closes the connection after each.
 */
public final class EarlyRefusals implements DirectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyRefusals.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.reasonPhrase());
        problem.put("status", status.code());
        problem.put("detail", detail(status));
        if (status.code() >= 500) {
            String id = LogIds.next();
            // Helidon logs the cause itself, and a client gone mid-headers (the header timeout, a client that
            // leaves) lands here too: at WARN, a slow-header flood would flood the log with 500s that never were.
            LOG.debug("refused before routing with {}, id={} event={}", status.code(), id, eventType);
            problem.put("error_id", id);
        }
        headers.set(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        // Helidon's own text (which may echo request bytes) stays out: the status says what went wrong.
        return TransportResponse.builder().status(status).headers(headers).entity(Json.bytes(problem)).keepAlive(false).build();
    }

    private static String detail(Status status) {
        return switch (status.code()) {
            case 400 -> "Bad request: the request line or headers are malformed";
            case 413 -> "Request body exceeds " + RequestBodies.MAX_BYTES + " bytes";
            case 414 -> "Request line too long";
            case 431 -> "Request headers too large";
            case 505 -> "HTTP version not supported";
            default -> status.code() >= 500 ? "Internal Server Error" : status.reasonPhrase();
        };
    }
}
