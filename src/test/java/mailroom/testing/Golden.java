package mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Golden scenarios: JSON files of request/response steps replayed against a real server and compared
 * exactly. In expected values {@code "{{?name}}"} captures a generated string (ids, tokens),
 * {@code "{{name}}"} inside any string is replaced by a captured value, and {@code "{{*}}"} accepts any
 * string (timestamps), {@code "{{#}}"} accepts any integer (remaining lifetimes), {@code "{{**}}"} any value at all
 * (a part of an answer another step or scenario shows exactly); {@code "{{?#name}}"} captures an integer (a journal
 * sequence number) and {@code "{{#name}}"} or {@code "{{#name+N}}"} expects that integer (plus N). Request paths and bodies
 * may use {@code {{name}}} too; a request's {@code "body_text"} is sent as it is, with its {@code "content_type"}.
 */
public final class Golden {
    private static final Pattern VAR = Pattern.compile("\\{\\{([a-zA-Z0-9_]+)}}");
    private static final Pattern NUMBER = Pattern.compile("\\{\\{(\\?)?#([a-zA-Z0-9_]+)(?:\\+([0-9]+))?}}");

    private Golden() {}

    /** Every *.json below src/test/resources/golden/{folder}, sorted by name. */
    public static List<Path> files(String folder) {
        Path root = Path.of("src/test/resources/golden", folder);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return FeishuHttp.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces {{name}} in a string with captured values. */
    public static String substitute(String text, Map<String, String> vars) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) throw new AssertionError("no captured value for {{" + m.group(1) + "}}");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A deep copy of a JSON request body with {{name}} substituted in every string. */
    public static JsonNode substitute(JsonNode node, Map<String, String> vars) {
        if (node.isTextual()) return FeishuHttp.JSON.getNodeFactory().textNode(substitute(node.asText(), vars));
        if (node.isObject()) {
            ObjectNode copy = FeishuHttp.JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), substitute(e.getValue(), vars)));
            return copy;
        }
        if (node.isArray()) {
            var copy = FeishuHttp.JSON.createArrayNode();
            node.forEach(n -> copy.add(substitute(n, vars)));
            return copy;
        }
        return node;
    }

    /** Asserts that actual matches expected exactly, capturing {{?name}} values into vars. */
    public static void match(JsonNode expected, JsonNode actual, String where, Map<String, String> vars) {
        if (expected.isTextual()) {
            String e = expected.asText();
            Matcher number = NUMBER.matcher(e);
            if (number.matches()) {
                assertThat(actual.isIntegralNumber()).as("%s: expected an integer but got %s", where, actual).isTrue();
                String name = number.group(2);
                long plus = number.group(3) == null ? 0 : Long.parseLong(number.group(3));
                if (number.group(1) != null) {
                    vars.put(name, Long.toString(actual.asLong() - plus));
                    return;
                }
                assertThat(vars).as("%s: no captured value for {{?#%s}}", where, name).containsKey(name);
                assertThat(actual.asLong()).as(where).isEqualTo(Long.parseLong(vars.get(name)) + plus);
                return;
            }
            if (e.startsWith("{{?") && e.endsWith("}}")) {
                assertThat(actual.isTextual() && !actual.asText().isEmpty())
                        .as("%s: expected a generated string but got %s", where, actual).isTrue();
                String name = e.substring(3, e.length() - 2);
                if (vars.containsKey(name)) {
                    assertThat(actual.asText()).as("%s: captured {{%s}} again", where, name).isEqualTo(vars.get(name));
                }
                vars.put(name, actual.asText());
                return;
            }
            if (e.equals("{{**}}")) return;
            if (e.equals("{{#}}")) {
                assertThat(actual.isIntegralNumber()).as("%s: expected any integer but got %s", where, actual).isTrue();
                return;
            }
            if (e.equals("{{*}}")) {
                assertThat(actual.isTextual()).as("%s: expected any string but got %s", where, actual).isTrue();
                return;
            }
            assertThat(actual.isTextual() ? actual.asText() : actual.toString()).as(where).isEqualTo(substitute(e, vars));
            assertThat(actual.isTextual()).as("%s: expected a string, got %s", where, actual).isTrue();
            return;
        }
        if (expected.isObject()) {
            assertThat(actual.isObject()).as("%s: expected an object, got %s", where, actual).isTrue();
            Set<String> expectedKeys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            assertThat(actualKeys).as("%s: fields of %s", where, actual).isEqualTo(expectedKeys);
            for (String key : expectedKeys) match(expected.get(key), actual.get(key), where + "." + key, vars);
            return;
        }
        if (expected.isArray()) {
            assertThat(actual.isArray()).as("%s: expected an array, got %s", where, actual).isTrue();
            assertThat(actual.size()).as("%s: length of %s", where, actual).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) match(expected.get(i), actual.get(i), where + "[" + i + "]", vars);
            return;
        }
        assertThat(actual).as(where).isEqualTo(expected);
    }

    /**
     * What one step sends; {@code sender} performs it and answers the raw response. {@code contentType} is the
     * request's "content_type" when it names one (null: the door's usual JSON).
     */
    public record Step(String method, String path, String app, String authorization, String body, String contentType) {}

    /**
     * Replays a scenario file without checking the answers against an OpenAPI document: only for a door that
     * has none yet (OpenApiDocumentsTest insists that every door gets one).
     */
    public static void replay(JsonNode scenario, Function<Step, FeishuHttp.Response> sender,
                              Function<FeishuHttp.Response, JsonNode> normalise) {
        replay(scenario, sender, normalise, null);
    }

    /**
     * Replays a scenario file: each step's request is sent through {@code sender}, its status, headers and
     * body compared with the expectation, and the actual answer checked against the door's OpenAPI document
     * ({@code contract}). {@code normalise} may strip per-request noise (log ids).
     */
    public static void replay(JsonNode scenario, Function<Step, FeishuHttp.Response> sender,
                              Function<FeishuHttp.Response, JsonNode> normalise, OpenApi contract) {
        Map<String, String> vars = new HashMap<>();
        int index = 0;
        for (JsonNode step : scenario.get("steps")) {
            String where = "step " + index++ + (step.has("name") ? " (" + step.get("name").asText() + ")" : "");
            JsonNode req = step.get("request");
            String body = null;
            if (req.has("body")) body = substitute(req.get("body"), vars).toString();
            if (req.has("body_text")) body = substitute(req.get("body_text").asText(), vars);
            String app = req.has("app") ? (req.get("app").isNull() ? null : req.get("app").asText()) : "cli_full";
            String auth = req.has("authorization") ? substitute(req.get("authorization").asText(), vars) : null;
            String method = req.get("method").asText();
            String path = substitute(req.get("path").asText(), vars);
            String contentType = req.has("content_type") ? req.get("content_type").asText() : null;
            FeishuHttp.Response response = sender.apply(new Step(method, path, app, auth, body, contentType));
            JsonNode expected = step.get("response");
            assertThat(response.status()).as("%s: HTTP status, body %s", where, response.text())
                    .isEqualTo(expected.get("status").asInt());
            if (expected.has("headers")) {
                expected.get("headers").fields().forEachRemaining(h -> assertThat(response.header(h.getKey()))
                        .as("%s: header %s", where, h.getKey()).isEqualTo(substitute(h.getValue().asText(), vars)));
            }
            List<String> problems = contract == null ? List.of() : contract.problems(method, path, response);
            if (expected.has("text")) {
                assertThat(response.text()).as(where).isEqualTo(expected.get("text").asText());
            } else {
                match(expected.get("body"), normalise.apply(response), where, vars);
            }
            assertThat(problems).as("%s: the answer does not conform to %s", where, contract).isEmpty();
        }
    }
}
