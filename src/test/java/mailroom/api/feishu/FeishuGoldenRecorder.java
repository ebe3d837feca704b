package mailroom.api.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.Golden;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the responses of a draft golden scenario from a real server, so that nobody types ids by hand:
 * {@code mvn test -Dtest=FeishuGoldenRecorder -Dgolden.record=member/create.json,alias/list.json}.
 * A draft step may say {@code "capture": {"gid": "/data/mailgroup_id"}} (JSON pointers) to name a
 * generated value; it becomes {@code {{?gid}}} there and {@code {{gid}}} wherever it appears later.
 * A recording is a proposal, not a proof: read every recorded answer against the spec before committing.
 */
@EnabledIfSystemProperty(named = "golden.record", matches = ".+")
class FeishuGoldenRecorder {
    private static final Path ROOT = Path.of("src/test/resources/golden/feishu");

    @Test
    void recordRequestedScenarios() throws IOException {
        for (String name : System.getProperty("golden.record").split(",")) record(ROOT.resolve(name.trim()));
    }

    private static void record(Path file) throws IOException {
        JsonNode scenario = Golden.read(file);
        Map<String, String> vars = new LinkedHashMap<>();
        ArrayNode steps = FeishuHttp.JSON.createArrayNode();
        try (MailroomServer server = TestServers.start(TestServers.Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            for (JsonNode step : scenario.get("steps")) {
                JsonNode req = step.get("request");
                String body = null;
                if (req.has("body")) body = Golden.substitute(req.get("body"), vars).toString();
                if (req.has("body_text")) body = Golden.substitute(req.get("body_text").asText(), vars);
                String app = req.has("app") ? (req.get("app").isNull() ? null : req.get("app").asText()) : "cli_full";
                String path = Golden.substitute(req.get("path").asText(), vars);
                FeishuHttp.Response r = req.has("authorization")
                        ? http.send(req.get("method").asText(), path, Golden.substitute(req.get("authorization").asText(), vars), body)
                        : http.call(app, req.get("method").asText(), path, body);
                ObjectNode response = FeishuHttp.JSON.createObjectNode();
                response.put("status", r.status());
                boolean json = r.header("content-type") != null && r.header("content-type").startsWith("application/json");
                if (!json) {
                    response.put("text", r.text());
                } else {
                    JsonNode recorded = FeishuGoldenTest.normalise(r);
                    Map<String, String> known = new LinkedHashMap<>(vars);
                    Map<String, String> captures = new LinkedHashMap<>();
                    if (step.has("capture")) step.get("capture").fields().forEachRemaining(c -> captures.put(c.getKey(), c.getValue().asText()));
                    if (step.has("response") && step.get("response").has("body")) captures(step.get("response").get("body"), "", captures);
                    captures.forEach((name, pointer) -> {
                        JsonNode at = recorded.at(pointer);
                        if (!at.isTextual()) throw new AssertionError(file + ": nothing to capture at " + pointer + " in " + r.text());
                        vars.put(name, at.asText());
                    });
                    autoCapture(recorded, vars);
                    response.set("body", placeholders(recorded, known, vars));
                }
                ObjectNode out = FeishuHttp.JSON.createObjectNode();
                if (step.has("name")) out.set("name", step.get("name"));
                out.set("request", req);
                out.set("response", response);
                steps.add(out);
            }
        }
        ObjectNode result = FeishuHttp.JSON.createObjectNode();
        result.set("description", scenario.get("description"));
        result.set("steps", steps);
        Files.writeString(file, print(result, 0) + "\n");
    }

    /** Re-recording keeps the names of an earlier recording: each {{?name}} is a capture at its pointer. */
    private static void captures(JsonNode node, String pointer, Map<String, String> out) {
        if (node.isTextual() && node.asText().startsWith("{{?") && node.asText().endsWith("}}")) {
            out.putIfAbsent(node.asText().substring(3, node.asText().length() - 2), pointer);
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> captures(f.getValue(), pointer + "/" + f.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) captures(node.get(i), pointer + "/" + i, out);
        }
    }

    private static final Set<String> ID_FIELDS = Set.of("mailgroup_id", "member_id", "permission_member_id", "page_token");

    /** Generated ids the draft did not name get a name anyway, so that no literal id is ever recorded. */
    private static void autoCapture(JsonNode node, Map<String, String> vars) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (ID_FIELDS.contains(f.getKey()) && f.getValue().isTextual() && !vars.containsValue(f.getValue().asText())) {
                    int n = vars.size() + 1;
                    while (vars.containsKey("id" + n)) n++;
                    vars.put("id" + n, f.getValue().asText());
                }
                autoCapture(f.getValue(), vars);
            });
        } else if (node.isArray()) {
            node.forEach(n -> autoCapture(n, vars));
        }
    }

    /** Values first seen in this step become {{?name}}; values seen before become {{name}}. */
    private static JsonNode placeholders(JsonNode node, Map<String, String> before, Map<String, String> all) {
        if (node.isTextual()) {
            String text = node.asText();
            for (var e : all.entrySet()) {
                if (text.equals(e.getValue())) {
                    return TextNode.valueOf(before.containsKey(e.getKey()) ? "{{" + e.getKey() + "}}" : "{{?" + e.getKey() + "}}");
                }
            }
            for (var e : before.entrySet()) {
                if (e.getValue().length() >= 8 && text.contains(e.getValue())) text = text.replace(e.getValue(), "{{" + e.getKey() + "}}");
            }
            return TextNode.valueOf(text);
        }
        if (node.isObject()) {
            ObjectNode copy = FeishuHttp.JSON.createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), f.getKey().equals("expire") && f.getValue().isIntegralNumber()
                    ? TextNode.valueOf("{{#}}") : placeholders(f.getValue(), before, all)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = FeishuHttp.JSON.createArrayNode();
            node.forEach(n -> copy.add(placeholders(n, before, all)));
            return copy;
        }
        return node;
    }

    private static String flat(JsonNode node) {
        List<String> parts = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> parts.add(TextNode.valueOf(f.getKey()) + ": " + flat(f.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        if (node.isArray()) {
            node.forEach(n -> parts.add(flat(n)));
            return "[" + String.join(", ", parts) + "]";
        }
        return node.toString();
    }

    /** Compact where a value fits on one line, one member per line where it does not. */
    static String print(JsonNode node, int indent) {
        String flat = flat(node);
        if (flat.length() + indent <= 118 || !node.isContainerNode() || node.isEmpty()) return flat;
        String pad = " ".repeat(indent + 2);
        StringBuilder out = new StringBuilder(node.isObject() ? "{\n" : "[\n");
        Iterator<Map.Entry<String, JsonNode>> fields = node.isObject() ? node.fields() : null;
        Iterator<JsonNode> items = node.isArray() ? node.elements() : null;
        boolean first = true;
        while (fields != null ? fields.hasNext() : items.hasNext()) {
            if (!first) out.append(",\n");
            first = false;
            out.append(pad);
            if (fields != null) {
                var f = fields.next();
                out.append(TextNode.valueOf(f.getKey())).append(": ").append(print(f.getValue(), indent + 2));
            } else {
                out.append(print(items.next(), indent + 2));
            }
        }
        return out.append("\n").append(" ".repeat(indent)).append(node.isObject() ? "}" : "]").toString();
    }
}
