package mailroom.api.hybridbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.Text;

/**
 * Collects request validation errors the way FastAPI with pydantic v2 reports them, all at once:
 * {@code {"type", "loc", "msg", "input"}} per error, answered together as one 422.
 */
final class Validation {
    private final List<Map<String, Object>> errors = new ArrayList<>();

    static Map<String, Object> error(String type, List<Object> loc, String msg, JsonNode input) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("loc", List.copyOf(loc));
        e.put("msg", msg);
        e.put("input", input == null ? NullNode.getInstance() : input);
        return e;
    }

    static List<Object> loc(List<Object> parent, Object child) {
        List<Object> out = new ArrayList<>(parent);
        out.add(child);
        return out;
    }

    void add(String type, List<Object> loc, String msg, JsonNode input) {
        errors.add(error(type, loc, msg, input));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) throw HybridboxException.invalid(errors);
    }

    // ---- object fields (pydantic v2 messages) ----

    /** The object at loc, or null after recording pydantic's model_attributes_type error. */
    JsonNode object(JsonNode node, List<Object> loc) {
        if (node != null && node.isObject()) return node;
        add("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", node);
        return null;
    }

    String requiredString(JsonNode object, List<Object> parent, String name) {
        if (!object.has(name)) {
            add("missing", loc(parent, name), "Field required", object);
            return null;
        }
        return string(object.get(name), loc(parent, name));
    }

    /** Absent or null reads as null. */
    String optionalString(JsonNode object, List<Object> parent, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : string(value, loc(parent, name));
    }

    private String string(JsonNode value, List<Object> loc) {
        if (value.isTextual()) return value.asText();
        add("string_type", loc, "Input should be a valid string", value);
        return null;
    }

    /** A string with pydantic's min_length/max_length constraints, in characters ({@link Text#length}). */
    String lengthChecked(String value, JsonNode input, List<Object> loc, int min, int max) {
        if (value == null) return null;
        int length = Text.length(value);
        if (length < min) {
            add("string_too_short", loc, "String should have at least " + min + " character" + (min == 1 ? "" : "s"), input);
            return null;
        }
        if (length > max) {
            add("string_too_long", loc, "String should have at most " + max + " character" + (max == 1 ? "" : "s"), input);
            return null;
        }
        return value;
    }

    Boolean requiredBool(JsonNode object, List<Object> parent, String name) {
        if (!object.has(name)) {
            add("missing", loc(parent, name), "Field required", object);
            return null;
        }
        return bool(object.get(name), loc(parent, name));
    }

    Boolean optionalBool(JsonNode object, List<Object> parent, String name, boolean fallback) {
        JsonNode value = object.get(name);
        return value == null ? Boolean.valueOf(fallback) : bool(value, loc(parent, name));
    }

    private Boolean bool(JsonNode value, List<Object> loc) {
        if (value.isBoolean()) return value.asBoolean();
        add("bool_type", loc, "Input should be a valid boolean", value);
        return null;
    }

    /** A list with pydantic's min_length/max_length; null after recording the error. */
    JsonNode list(JsonNode object, List<Object> parent, String name, int min, int max, boolean required) {
        JsonNode value = object.get(name);
        List<Object> at = loc(parent, name);
        if (value == null) {
            if (required) add("missing", at, "Field required", object);
            return null;
        }
        if (value.isNull() && !required) return null;
        if (!value.isArray()) {
            add("list_type", at, "Input should be a valid list", value);
            return null;
        }
        if (value.size() < min) {
            add("too_short", at, "List should have at least " + min + " item" + (min == 1 ? "" : "s")
                    + " after validation, not " + value.size(), value);
            return null;
        }
        if (value.size() > max) {
            add("too_long", at, "List should have at most " + max + " item" + (max == 1 ? "" : "s")
                    + " after validation, not " + value.size(), value);
            return null;
        }
        return value;
    }
}
