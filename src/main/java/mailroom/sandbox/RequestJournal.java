package mailroom.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mailroom.http.Json;

/**
 * Sandbox mode's request journal: what the Feishu and Hybridbox doors were sent and answered, newest first, in
 * this node's memory, at most {@link #CAPACITY} requests (the oldest dropped first) and {@link #BODY_LIMIT} bytes
 * of each body. Authorization and other credential headers, and secrets and tokens in bodies, are kept as
 * {@code "<redacted>"}.
 */
public final class RequestJournal {
    /** Most requests kept. */
    public static final int CAPACITY = 1000;
    /** Most bytes of a request or response body kept; a longer body is kept as the text of its start. */
    public static final int BODY_LIMIT = 16 * 1024;
    static final String REDACTED = "<redacted>";
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie",
            "x-api-key");
    private static final Set<String> SECRET_FIELDS = Set.of("app_secret", "tenant_access_token", "app_access_token",
            "access_token", "refresh_token", "token", "secret", "password");

    /** One recorded request; {@code appId} (the app, service account or token-asking app id) is only for filtering. */
    public record Entry(long seq, Instant time, String door, String method, String path, Map<String, Object> query,
                        Map<String, String> headers, Object body, Integer status, Map<String, String> responseHeaders,
                        Object responseBody, String logId, long tookMillis, String appId) {
        /** The item of {@code GET /sandbox/v1/requests}, fields in the order of the contract. */
        public Map<String, Object> view() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", "req_" + seq);
            out.put("time", time.toString());
            out.put("door", door);
            out.put("method", method);
            out.put("path", path);
            out.put("query", query);
            out.put("headers", headers);
            out.put("body", body);
            out.put("status", status);
            out.put("response_headers", responseHeaders);
            out.put("response_body", responseBody);
            out.put("log_id", logId);
            out.put("took_ms", tookMillis);
            return out;
        }
    }

    /** What to list: each null means any; {@code path} is a prefix. */
    public record Filter(String door, String method, String pathPrefix, String appId, Instant since, int limit) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long seq;

    public synchronized void add(Entry entry) {
        entries.addFirst(entry);
        while (entries.size() > CAPACITY) entries.removeLast();
    }

    /** The next entry number (entries are numbered from 1 in the order they were recorded). */
    synchronized long nextSeq() {
        return ++seq;
    }

    public synchronized List<Entry> list(Filter f) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= f.limit()) break;
            if (f.door() != null && !f.door().equals(e.door())) continue;
            if (f.method() != null && !f.method().equalsIgnoreCase(e.method())) continue;
            if (f.pathPrefix() != null && !e.path().startsWith(f.pathPrefix())) continue;
            if (f.appId() != null && !f.appId().equals(e.appId())) continue;
            if (f.since() != null && e.time().isBefore(f.since())) continue;
            out.add(e);
        }
        return out;
    }

    public synchronized void clear() {
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Header names lower case, credentials redacted, several values joined by ", ". */
    static Map<String, String> headers(Map<String, String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            out.put(lower, SECRET_HEADERS.contains(lower) ? REDACTED : value);
        });
        return out;
    }

    /** A body as JSON when it parses (secrets redacted), else as text; null when empty. */
    static Object body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return null;
        if (bytes.length > BODY_LIMIT) {
            return new String(bytes, 0, BODY_LIMIT, StandardCharsets.UTF_8) + "... (" + bytes.length + " bytes, truncated)";
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(bytes);
            if (tree != null) return redact(tree);
        } catch (java.io.IOException e) {
            // not JSON: kept as text below
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isSecret(field.getKey()) && !field.getValue().isNull()) {
                    field.setValue(TextNode.valueOf(REDACTED));
                } else {
                    redact(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(RequestJournal::redact);
        }
        return node;
    }

    static boolean isSecret(String field) {
        String f = field.toLowerCase(Locale.ROOT);
        return SECRET_FIELDS.contains(f) || f.endsWith("_secret") || f.endsWith("_password");
    }
}
