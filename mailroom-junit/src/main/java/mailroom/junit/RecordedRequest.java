package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of the sandbox's request journal: what a client sent to a door and what it was answered. Header
 * names are lower case; {@code Authorization} and secrets in bodies read {@code "<redacted>"}. Bodies are JSON
 * values when they parsed as JSON, text nodes otherwise, {@link NullNode} when empty. {@code status},
 * {@code responseHeaders} and {@code responseBody} are null for a request whose connection a fault dropped.
 */
public record RecordedRequest(String id, Instant time, String door, String method, String path, Map<String, List<String>> query,
                              Map<String, String> headers, JsonNode body, Integer status, Map<String, String> responseHeaders,
                              JsonNode responseBody, String logId, long tookMs) {
    /** The redaction mark the journal puts in place of secrets. */
    public static final String REDACTED = "<redacted>";

    /** A request header by its name in any case, or null. */
    public String header(String name) {
        return headers == null ? null : headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** A header of the answer by its name in any case, or null. */
    public String responseHeader(String name) {
        return responseHeaders == null ? null : responseHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a query parameter, or null. */
    public String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The Feishu business code of the answer ({@code response_body.code}), or null when it has none. */
    public Integer responseCode() {
        return responseBody == null ? null : Json.integer(responseBody.get("code"));
    }

    static RecordedRequest of(JsonNode json) {
        JsonNode body = json.get("body");
        Integer status = Json.integer(json.get("status"));
        JsonNode responseBody = status == null ? null : json.get("response_body");
        return new RecordedRequest(json.path("id").asText(), Json.instant(json.path("time")), Json.text(json.get("door")),
                Json.text(json.get("method")), Json.text(json.get("path")), Json.query(json.get("query")),
                Json.strings(json.get("headers")), body == null ? NullNode.getInstance() : body, status,
                Json.strings(json.get("response_headers")), status != null && responseBody == null ? NullNode.getInstance() : responseBody,
                Json.text(json.get("log_id")), json.path("took_ms").asLong());
    }
}
