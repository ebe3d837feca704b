package mailroom.api.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import mailroom.directory.Caller;
import mailroom.directory.PageRequest;
import mailroom.directory.access.App;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.UserIdKind;
import mailroom.http.Json;

/** One authenticated Feishu request: path, query and body accessors that answer in Feishu's error format. */
public final class FeishuCall {
    private static final String PAGE_TOKEN_PREFIX = "mr1:";
    static final String EMPLOYEE_ID_SCOPE = FeishuScopes.EMPLOYEE_ID;

    private final ServerRequest req;
    private final byte[] body;
    private final App app;
    private final String logId;

    FeishuCall(ServerRequest req, byte[] body, App app, String logId) {
        this.req = req;
        this.body = body;
        this.app = app;
        this.logId = logId;
    }

    public String tenantKey() {
        return app.tenantKey();
    }

    /** The app as the directory's caller, with this request's log id. */
    public Caller caller() {
        return new Caller(app.tenantKey(), Caller.ActorKind.APP, app.appId(), logId);
    }

    public App app() {
        return app;
    }

    public String logId() {
        return logId;
    }

    public boolean hasScope(String scope) {
        return app.scopes().contains(scope);
    }

    public String path(String name) {
        return withoutNul(name, req.path().pathParameters().get(name));
    }

    /** The query parameter, or null when absent. */
    public String query(String name) {
        return req.query().contains(name) ? withoutNul(name, req.query().get(name)) : null;
    }

    /**
     * No Feishu id or text may hold U+0000: PostgreSQL cannot store or even compare it, so it is refused
     * here, the same way on every database, before anything is looked up.
     */
    private static String withoutNul(String field, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw FeishuException.fieldViolation(field, field + " must not contain the NUL character");
        }
        return value;
    }

    private static void rejectNul(JsonNode node, String path) {
        if (node.isTextual()) {
            withoutNul(path.isEmpty() ? "body" : path, node.asText());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                withoutNul(path.isEmpty() ? "body" : path, e.getKey());
                rejectNul(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) rejectNul(node.get(i), path + "[" + i + "]");
        }
    }

    /** {@code user_id_type}: open_id (default), union_id or user_id (needs the employee-id field scope). */
    public UserIdKind userIdKind() {
        String value = query("user_id_type");
        if (value == null || value.isEmpty()) return UserIdKind.OPEN_ID;
        UserIdKind kind = switch (value) {
            case "open_id" -> UserIdKind.OPEN_ID;
            case "union_id" -> UserIdKind.UNION_ID;
            case "user_id" -> UserIdKind.USER_ID;
            default -> throw FeishuException.fieldViolation("user_id_type",
                    "user_id_type must be one of open_id, union_id, user_id");
        };
        if (kind == UserIdKind.USER_ID && !hasScope(EMPLOYEE_ID_SCOPE)) {
            throw FeishuRouter.noScope(List.of(EMPLOYEE_ID_SCOPE));
        }
        return kind;
    }

    /** {@code department_id_type}: open_department_id (default) or department_id. */
    public DepartmentIdKind departmentIdKind() {
        String value = query("department_id_type");
        if (value == null || value.isEmpty() || value.equals("open_department_id")) return DepartmentIdKind.OPEN_DEPARTMENT_ID;
        if (value.equals("department_id")) return DepartmentIdKind.DEPARTMENT_ID;
        throw FeishuException.fieldViolation("department_id_type",
                "department_id_type must be one of department_id, open_department_id");
    }

    /** page_size (0 or absent = default, above max refused) and the opaque page_token. */
    public PageRequest page(int defaultSize, int maxSize) {
        return page(defaultSize, maxSize, null, null);
    }

    /**
     * As {@link #page(int, int)}, a wrong page_size answered with {@code sizeError} and a page_token this server did
     * not issue with {@code tokenError} (both a field violation of 99992402 when null), as the contact endpoints do.
     */
    public PageRequest page(int defaultSize, int maxSize, FeishuError sizeError, FeishuError tokenError) {
        String sizeText = query("page_size");
        int size = defaultSize;
        if (sizeText != null && !sizeText.isEmpty()) {
            try {
                size = Integer.parseInt(sizeText);
            } catch (NumberFormatException e) {
                throw refusal(sizeError, "page_size", "page_size must be an integer");
            }
            if (size < 0 || size > maxSize) {
                throw refusal(sizeError, "page_size", "page_size must be between 0 and " + maxSize);
            }
            if (size == 0) size = defaultSize;
        }
        return new PageRequest(decodePageToken(query("page_token"), tokenError), size);
    }

    private static FeishuException refusal(FeishuError error, String field, String description) {
        if (error == null) return FeishuException.fieldViolation(field, description);
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("message", description);
        details.put("field_violations", List.of(FeishuException.violation(field, description)));
        return new FeishuException(error, details);
    }

    private static String decodePageToken(String token, FeishuError tokenError) {
        if (token == null || token.isEmpty()) return null;
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PAGE_TOKEN_PREFIX) && decoded.substring(PAGE_TOKEN_PREFIX.length()).matches("\\d{1,18}")) {
                return decoded.substring(PAGE_TOKEN_PREFIX.length());
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the refusal below
        }
        throw refusal(tokenError, "page_token", "page_token is not one this server issued");
    }

    static String encodePageToken(String cursor) {
        return cursor == null ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PAGE_TOKEN_PREFIX + cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON body as the given record; an empty body reads as an empty object. */
    public <T> T body(Class<T> type) {
        byte[] json = body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()
                ? "{}".getBytes(StandardCharsets.UTF_8) : body;
        JsonNode tree;
        try {
            // Syntax first (trailing garbage included), so that shape and type errors below are about valid JSON.
            tree = Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw FeishuException.fieldViolation("body", "request body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw FeishuException.fieldViolation("body", "request body must be a JSON object");
        }
        rejectNul(tree, "");
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw FeishuException.fieldViolation(field.isEmpty() ? "body" : field,
                    field.isEmpty() ? "request body must be a JSON object" : "wrong type for " + field);
        } catch (JsonProcessingException e) {
            throw FeishuException.fieldViolation("body", "request body is not valid JSON");
        }
    }
}
