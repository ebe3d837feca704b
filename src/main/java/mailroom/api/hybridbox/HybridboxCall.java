package mailroom.api.hybridbox;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mailroom.directory.Caller;
import mailroom.directory.access.ServiceAccounts.Principal;
import mailroom.directory.tenant.Accounts;
import mailroom.http.Json;

/** One authenticated Hybridbox request: path, query and body accessors that refuse in FastAPI's 422 shape. */
final class HybridboxCall {
    private static final Set<String> TRUE = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "off", "f", "false", "n", "no");

    /**
     * Why a value with U+0000 is refused (422 value_error, msg "Value error, ..."). Every path and query
     * value a route reads goes through {@link #path}/{@link #query}, every body through {@link #bodyObject},
     * so this is the one place NUL is stopped: PostgreSQL text cannot hold it (the statement fails) and
     * SQLite compares strings only up to it.
     */
    static final String NUL_RULE = "must not contain the NUL character (U+0000)";

    private final ServerRequest req;
    private final byte[] body;
    private final Principal principal;
    private final String requestId;
    private JsonNode json;

    HybridboxCall(ServerRequest req, byte[] body, Principal principal, String requestId) {
        this.req = req;
        this.body = body;
        this.principal = principal;
        this.requestId = requestId;
    }

    Principal principal() {
        return principal;
    }

    String tenantKey() {
        return principal.tenantKey();
    }

    /** The service account as the directory's caller, with this request's id. */
    Caller caller() {
        return new Caller(principal.tenantKey(), Caller.ActorKind.SERVICE_ACCOUNT, principal.serviceAccountId(), requestId);
    }

    /** A path value; one with U+0000 is a 422 (see {@link #NUL_RULE}). */
    String path(String name) {
        return refuseNul(List.of("path", name), req.path().pathParameters().get(name));
    }

    /** A path value that must be a UUID (answered lower-cased); NUL is no UUID character, so uuid_parsing. */
    String pathUuid(String name) {
        String value = req.path().pathParameters().get(name);
        if (!Accounts.isUuid(value)) {
            throw HybridboxException.invalid(List.of(Validation.error("uuid_parsing", List.of("path", name),
                    "Input should be a valid UUID", TextNode.valueOf(value))));
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** Adds an error for every string below node (object fields and array items, at any depth) with NUL. */
    private static void refuseNulIn(Validation v, JsonNode node, List<Object> loc) {
        if (node.isTextual()) {
            nul(v, loc, node.asText());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> refuseNulIn(v, e.getValue(), Validation.loc(loc, e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) refuseNulIn(v, node.get(i), Validation.loc(loc, i));
        }
    }

    /** The value itself, or a 422 when it contains U+0000. */
    private static String refuseNul(List<Object> loc, String value) {
        Validation v = new Validation();
        nul(v, loc, value);
        v.throwIfAny();
        return value;
    }

    private static void nul(Validation v, List<Object> loc, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            v.add("value_error", loc, "Value error, " + NUL_RULE, TextNode.valueOf(value));
        }
    }

    /** The parsed body, once parsed; null before or when there is none (for 422 inputs). */
    JsonNode parsedBody() {
        return json;
    }

    /** The JSON body, which must be an object: a missing, malformed or non-object body is a 422. */
    JsonNode bodyObject() {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw HybridboxException.invalid(List.of(Validation.error("missing", List.of("body"), "Field required", null)));
        }
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonParseException e) {
            var where = e.getLocation();
            long offset = where == null ? 0 : Math.max(0, Math.max(where.getCharOffset(), where.getByteOffset()));
            throw HybridboxException.invalid(List.of(Validation.error("json_invalid", List.of("body", offset),
                    "JSON decode error", Json.MAPPER.createObjectNode())));
        } catch (IOException e) {
            // Also what is not a JsonProcessingException: the body is in memory, so any IOException is about
            // its bytes, e.g. CharConversionException for a body Jackson reads as UTF-32 but cannot decode.
            throw HybridboxException.invalid(List.of(Validation.error("json_invalid", List.of("body", 0),
                    "JSON decode error", Json.MAPPER.createObjectNode())));
        }
        if (!json.isObject()) {
            throw HybridboxException.invalid(List.of(Validation.error("model_attributes_type", List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", json)));
        }
        Validation v = new Validation();
        refuseNulIn(v, json, List.of("body"));
        v.throwIfAny();
        return json;
    }

    // ---- query parameters; errors go to the given collector so that all are answered together ----

    /**
     * The query value, or null when absent or empty (FastAPI treats an empty optional string as given, we as
     * absent). A value with U+0000 is a 422 at once, whichever accessor reads it.
     */
    String query(String name) {
        if (!req.query().contains(name)) return null;
        String value = refuseNul(List.of("query", name), req.query().get(name));
        return value.isEmpty() ? null : value;
    }

    int queryInt(Validation v, String name, int fallback, int min, int max) {
        String value = query(name);
        if (value == null) return fallback;
        List<Object> loc = List.of("query", name);
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            v.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer",
                    TextNode.valueOf(value));
            return fallback;
        }
        if (parsed < min) {
            v.add("greater_than_equal", loc, "Input should be greater than or equal to " + min, TextNode.valueOf(value));
        } else if (parsed > max) {
            v.add("less_than_equal", loc, "Input should be less than or equal to " + max, TextNode.valueOf(value));
        }
        return parsed;
    }

    String queryUuid(Validation v, String name) {
        String value = query(name);
        if (value == null) return null;
        if (!Accounts.isUuid(value)) {
            v.add("uuid_parsing", List.of("query", name), "Input should be a valid UUID", TextNode.valueOf(value));
            return null;
        }
        return value.toLowerCase(Locale.ROOT);
    }

    boolean queryBool(Validation v, String name, boolean fallback) {
        String value = query(name);
        if (value == null) return fallback;
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) return true;
        if (FALSE.contains(lower)) return false;
        v.add("bool_parsing", List.of("query", name), "Input should be a valid boolean, unable to interpret input",
                TextNode.valueOf(value));
        return fallback;
    }

    static Map<String, Object> detail(Object detail) {
        return Map.of("detail", detail);
    }
}
