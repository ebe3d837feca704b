package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the controls' JSON answers into the records of this package (nulls kept as nulls). */
final class Json {
    private Json() {}

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    static Integer integer(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asInt();
    }

    static Double number(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asDouble();
    }

    static Instant instant(JsonNode node) {
        String text = text(node);
        return text == null ? null : OffsetDateTime.parse(text).toInstant();
    }

    /** A JSON object of strings, in its order; null for JSON null. */
    static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }

    /** A query as the journal shows it (a value, or a list of the values of a repeated parameter), as lists. */
    static Map<String, List<String>> query(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null || !node.isObject()) return Collections.unmodifiableMap(out);
        node.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) e.getValue().forEach(v -> values.add(v.asText()));
            else values.add(e.getValue().asText());
            out.put(e.getKey(), List.copyOf(values));
        });
        return Collections.unmodifiableMap(out);
    }
}
