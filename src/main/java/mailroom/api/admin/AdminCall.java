package mailroom.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import mailroom.api.admin.AdminException.FieldError;
import mailroom.directory.Caller;
import mailroom.directory.access.OperatorToken;
import mailroom.http.Json;
import mailroom.http.Pipeline;

/**
 * One authenticated operator-door request: path and query values, the JSON body with its fields read and
 * every wrong one collected into one validation problem, the paging parameters, and the directory caller.
 */
final class AdminCall {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final Pipeline.Exchange exchange;
    private final OperatorToken token;
    private final List<FieldError> errors = new ArrayList<>();
    private ObjectNode body;

    AdminCall(Pipeline.Exchange exchange, OperatorToken token) {
        this.exchange = exchange;
        this.token = token;
    }

    OperatorToken token() {
        return token;
    }

    String requestId() {
        return exchange.id();
    }

    Pipeline.Exchange exchange() {
        return exchange;
    }

    /** The operator as the directory's caller for the tenant named. */
    Caller caller(String tenantKey) {
        return new Caller(tenantKey, Caller.ActorKind.OPERATOR, token.id(), exchange.id());
    }

    String path(String name) {
        String value = exchange.request().path().pathParameters().get(name);
        if (value.indexOf('\0') >= 0) throw AdminException.notFound("no such " + name);
        return value;
    }

    Optional<String> query(String name) {
        return exchange.request().query().first(name).asOptional();
    }

    boolean flag(String name) {
        Optional<String> value = query(name);
        if (value.isEmpty()) return false;
        return switch (value.get()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw AdminException.invalid(name, "must be true or false");
        };
    }

    /** The body as a JSON object; anything else is a validation problem naming the body. */
    /** As {@link #body()}, an empty body reading as {@code {}}: for endpoints whose every field is optional. */
    ObjectNode optionalBody() {
        if (body == null && exchange.body().length == 0) body = Json.MAPPER.createObjectNode();
        return body();
    }

    ObjectNode body() {
        if (body != null) return body;
        byte[] raw = exchange.body();
        JsonNode node;
        try {
            node = raw.length == 0 ? null : Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw AdminException.invalid("body", "is not valid JSON");
        }
        if (node == null || !node.isObject()) throw AdminException.invalid("body", "must be a JSON object");
        // A raw NUL byte is no valid JSON (the parser refused it above); an escaped one (\u0000) is found here.
        if (containsNul(node)) {
            throw AdminException.invalid("body", "must not contain the NUL character (U+0000)");
        }
        body = (ObjectNode) node;
        return body;
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) return node.asText().indexOf('\0') >= 0;
        for (JsonNode child : node) {
            if (containsNul(child)) return true;
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            if (names.next().indexOf('\0') >= 0) return true;
        }
        return false;
    }

    /** Refuses fields the route does not know: a typo must not be silently ignored by an operator's script. */
    void onlyFields(String... known) {
        List<String> allowed = List.of(known);
        body().fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) errors.add(new FieldError(f, "unknown field (known: " + String.join(", ", allowed) + ")"));
        });
    }

    /** A string field; null when absent (or JSON null), an error when required and absent or of another type. */
    String string(String field, boolean required) {
        JsonNode v = body().get(field);
        if (v == null || v.isNull()) {
            if (required) errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return v.asText();
    }

    /** A list of strings; null when absent. */
    List<String> strings(String field, boolean required) {
        JsonNode v = body().get(field);
        if (v == null || v.isNull()) {
            if (required) errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!v.isArray()) {
            errors.add(new FieldError(field, "must be a list of strings"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a string"));
            } else {
                out.add(v.get(i).asText());
            }
        }
        return out;
    }

    /** An object field; null when absent. */
    ObjectNode object(String field) {
        JsonNode v = body().get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) {
            errors.add(new FieldError(field, "must be an object"));
            return null;
        }
        return (ObjectNode) v;
    }

    Boolean bool(ObjectNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) {
            errors.add(new FieldError(path, "must be true or false"));
            return null;
        }
        return v.asBoolean();
    }

    Integer integer(ObjectNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(new FieldError(path, "must be an integer"));
            return null;
        }
        return v.asInt();
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** Throws one validation problem with every error collected so far, if any. */
    void requireValid() {
        if (!errors.isEmpty()) throw AdminException.invalid(errors);
    }

    int limit() {
        Optional<String> raw = query("limit");
        if (raw.isEmpty()) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw.get());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw AdminException.invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }

    /** The sort key the page continues after, decoded from {@code ?cursor=}; null for the first page. */
    String cursor() {
        Optional<String> raw = query("cursor");
        if (raw.isEmpty() || raw.get().isEmpty()) return null;
        String key = keyOf(raw.get());
        if (key == null) throw AdminException.invalid("cursor", "is not a cursor this server gave");
        return key;
    }

    /** The sort key a cursor of {@link #cursorOf} carries; null when it is not such a cursor. */
    static String keyOf(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("k:")) return decoded.substring(2);
        } catch (IllegalArgumentException e) {
            // not one of ours
        }
        return null;
    }

    static String cursorOf(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One page of a listing already sorted by {@code key} ascending: the items after the cursor, at most the
     * limit, and {@code next_cursor} unless it is the last page.
     */
    <T> AdminViews.Listing page(List<T> sorted, Function<T, String> key, Function<T, Object> view) {
        String after = cursor();
        int limit = limit();
        List<Object> items = new ArrayList<>();
        String last = null;
        for (T item : sorted) {
            String k = key.apply(item);
            if (after != null && k.compareTo(after) <= 0) continue;
            if (items.size() == limit) return new AdminViews.Listing(items, cursorOf(last));
            items.add(view.apply(item));
            last = k;
        }
        return new AdminViews.Listing(items, null);
    }
}
