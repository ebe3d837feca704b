package mailroom.api.feishu;

import java.util.List;
import java.util.Map;

/** A refusal decided by the Feishu door itself (auth, scopes, request shape), with optional details. */
public final class FeishuException extends RuntimeException {
    private final FeishuError error;
    private final Map<String, Object> errorDetails;

    public FeishuException(FeishuError error) {
        this(error, Map.of());
    }

    public FeishuException(FeishuError error, Map<String, Object> errorDetails) {
        super(error.msg(), null, false, false);
        this.error = error;
        this.errorDetails = errorDetails;
    }

    public static FeishuException fieldViolation(String field, String description) {
        return new FeishuException(FeishuErrors.FIELD_VALIDATION, Map.of("field_violations",
                List.of(violation(field, description))));
    }

    /** One field violation, rendered in a stable order: field, then description. */
    static Map<String, Object> violation(String field, String description) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("field", field);
        v.put("description", description);
        return v;
    }

    public FeishuError error() {
        return error;
    }

    public Map<String, Object> errorDetails() {
        return errorDetails;
    }
}
