package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A read of the request journal ({@code GET /sandbox/v1/requests}): filters that all apply together, then
 * {@link #list()} (newest first). Each filter returns a new query, so one may be kept and refined.
 */
public final class RequestQuery {
    private final SandboxHttp http;
    private final Map<String, String> filters;

    RequestQuery(SandboxHttp http, Map<String, String> filters) {
        this.http = http;
        this.filters = filters;
    }

    private RequestQuery with(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(filters);
        if (value == null) next.remove(name);
        else next.put(name, value);
        return new RequestQuery(http, next);
    }

    /** Only requests to this door: {@code feishu} or {@code hybridbox}. */
    public RequestQuery door(String door) {
        return with("door", door);
    }

    /** Only requests with this HTTP method (any case). */
    public RequestQuery method(String method) {
        return with("method", method);
    }

    /** Only requests whose path starts with this prefix, e.g. {@code /open-apis/mail/v1/mailgroups}. */
    public RequestQuery path(String prefix) {
        return with("path", prefix);
    }

    /** Only requests of this Feishu app (or of this Hybridbox service account id). */
    public RequestQuery appId(String appId) {
        return with("app_id", appId);
    }

    /** Only requests recorded at or after this instant (of the sandbox's clock). */
    public RequestQuery since(Instant since) {
        return with("since", since == null ? null : since.toString());
    }

    /** At most this many (1 to 1000; the server's default is 100). */
    public RequestQuery limit(int limit) {
        return with("limit", Integer.toString(limit));
    }

    /** The matching requests, newest first. */
    public List<RecordedRequest> list() {
        StringBuilder path = new StringBuilder("/sandbox/v1/requests");
        char sep = '?';
        for (Map.Entry<String, String> f : filters.entrySet()) {
            path.append(sep).append(f.getKey()).append('=').append(URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        List<RecordedRequest> out = new ArrayList<>();
        for (JsonNode item : http.send("GET", path.toString(), null).path("items")) out.add(RecordedRequest.of(item));
        return List.copyOf(out);
    }

    /** The newest matching request; NoSuchElementException when none matches. */
    public RecordedRequest newest() {
        List<RecordedRequest> one = limit(1).list();
        if (one.isEmpty()) throw new NoSuchElementException("no recorded request matches " + filters);
        return one.get(0);
    }
}
