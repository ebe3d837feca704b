package mailroom.api.hybridbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import mailroom.directory.DirectoryException;
import mailroom.http.Pipeline;
import mailroom.http.RequestBodies;

/**
 * How the Hybridbox door answers on the pipeline: FastAPI's {@code {"detail": ...}} for its own refusals,
 * for directory refusals (through {@link HybridboxErrors}), for an oversized body (413) and for an
 * unexpected failure (500 with the logged id as {@code error_id}).
 */
final class HybridboxAnswers implements Pipeline.Renderer {
    static final String CONTENT_TYPE = "application/json";

    static Pipeline.Answer json(int status, Object body) {
        return Pipeline.Answer.json(status, "", CONTENT_TYPE, body);
    }

    private static Pipeline.Answer detail(int status, Object detail) {
        return json(status, Map.of("detail", detail));
    }

    @Override
    public Pipeline.Answer refusal(Pipeline.Exchange exchange, Exception e) {
        if (e instanceof DirectoryException de) {
            JsonNode body = exchange.state() instanceof HybridboxCall call ? call.parsedBody() : null;
            HybridboxErrors.Answer answer = HybridboxErrors.of(de, body);
            return detail(answer.status(), answer.detail());
        }
        if (e instanceof HybridboxException he) {
            if (he.status() == 401) exchange.header("WWW-Authenticate", "Bearer");
            return detail(he.status(), he.detail());
        }
        return null;
    }

    @Override
    public Pipeline.Answer tooLarge(Pipeline.Exchange exchange) {
        return detail(413, "Request body exceeds " + RequestBodies.MAX_BYTES + " bytes");
    }

    /** A sandbox fault: FastAPI's {@code detail} of the status (a 401 with its challenge, a 500 as {@link #failure}). */
    @Override
    public Pipeline.Answer fault(Pipeline.Exchange exchange, int status, Integer code) {
        if (status == 500) return failure(exchange);
        if (status == 401) {
            exchange.header("WWW-Authenticate", "Bearer");
            return detail(401, "Invalid or expired token");
        }
        return detail(status, io.helidon.http.Status.create(status).reasonPhrase());
    }

    @Override
    public Pipeline.Answer failure(Pipeline.Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", "Internal Server Error");
        body.put("error_id", exchange.id());
        return json(500, body);
    }
}
