package mailroom.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.PatternFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A door's OpenAPI 3.1 document (src/main/resources/openapi/&lt;door&gt;.json) as a contract: its operations,
 * and a check of an actual answer (status, required headers, media type, body) against the documented
 * response, with the networknt JSON Schema validator (2020-12, OpenAPI 3.1 dialect, formats asserted, every
 * {@code $ref} resolved inside the document). The official OpenAPI 3.1 schemas come from the classpath.
 */
public final class OpenApi {
    /** Where the documents are kept. */
    public static final Path FOLDER = Path.of("src/main/resources/openapi");
    /** The official schema that checks a whole document, Schema Objects included (against the OAS dialect). */
    public static final String OAS_SCHEMA_BASE = "https://spec.openapis.org/oas/3.1/schema-base/2022-10-07";
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Map<String, OpenApi> LOADED = new ConcurrentHashMap<>();
    /**
     * RFC 5321 {@code Mailbox} with a dot-atom local part at a host name. The validator's own "email" also
     * demands a top-level domain from the IANA list, which the tenants' {@code .test} domains are not.
     */
    static final String MAILBOX = "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$";
    /** OpenAPI 3.1's dialect of JSON Schema 2020-12, with {@link #MAILBOX} as its "email" format. */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getOpenApi31())
            .format(PatternFormat.of("email", MAILBOX, null)).build();

    /** One operation: method (upper case), path template, and its JSON pointer in the document. */
    public record Operation(String method, String template, String pointer, JsonNode node) {
        public String describe() {
            return method + " " + template;
        }
    }

    private final String door;
    private final String iri;
    private final JsonNode document;
    private final String text;
    private final SchemaRegistry registry;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OpenApi(String door, String text) {
        this.door = door;
        this.text = text;
        this.iri = "https://mailroom.invalid/openapi/" + door + ".json";
        try {
            this.document = FeishuHttp.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(file(door) + " is not JSON: " + e.getMessage(), e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(DIALECT, b -> b
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemas(Map.of(iri, text))
                .schemaIdResolvers(r -> r.mapPrefix("https://spec.openapis.org/", "classpath:spec.openapis.org/")));
        JsonNode paths = document.path("paths");
        for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
            String template = p.next();
            for (Iterator<String> m = paths.get(template).fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (!HTTP_METHODS.contains(method)) continue;
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), template,
                        "/paths/" + escape(template) + "/" + method, paths.get(template).get(method)));
            }
        }
    }

    /** The file of a door's document. */
    public static Path file(String door) {
        return FOLDER.resolve(door + ".json");
    }

    /** Whether the door has a document. */
    public static boolean exists(String door) {
        return Files.exists(file(door));
    }

    /** The door's document, read once per test run. */
    public static OpenApi of(String door) {
        return LOADED.computeIfAbsent(door, d -> {
            try {
                return new OpenApi(d, Files.readString(file(d), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A document from text (for tests of this checker). */
    public static OpenApi parse(String door, String text) {
        return new OpenApi(door, text);
    }

    public String door() {
        return door;
    }

    public JsonNode document() {
        return document;
    }

    public List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** Validation errors of the whole document against the official OpenAPI 3.1 schema (empty when valid). */
    public List<String> schemaErrors() {
        return registry.getSchema(SchemaLocation.of(OAS_SCHEMA_BASE)).validate(document).stream()
                .map(Error::toString).toList();
    }

    /** Compiles a schema of the document (any JSON pointer), so that a broken one fails here and not later. */
    public Schema schemaAt(String pointer) {
        return compiled.computeIfAbsent(pointer, p -> {
            Schema schema = registry.getSchema(SchemaLocation.of(iri + "#" + fragment(p)));
            schema.initializeValidators();
            return schema;
        });
    }

    /** The node at a JSON pointer, following {@code $ref}s inside the document; missing when it does not resolve. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current != null && current.has("$ref") && hops < 20; hops++) {
            String target = current.get("$ref").asText();
            if (!target.startsWith("#")) return null;
            current = document.at(target.substring(1));
            if (current.isMissingNode()) return null;
        }
        return current;
    }

    /** The pointer a {@code $ref} chain ends at, starting from the node at {@code pointer}. */
    private String resolvedPointer(String pointer) {
        String current = pointer;
        for (int hops = 0; hops < 20; hops++) {
            JsonNode node = document.at(current);
            if (!node.has("$ref")) return current;
            current = node.get("$ref").asText().substring(1);
        }
        return current;
    }

    /** The operation for a concrete request path (query ignored); literal segments win over templated ones. */
    public Optional<Operation> match(String method, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        String[] actual = (query < 0 ? pathAndQuery : pathAndQuery.substring(0, query)).split("/", -1);
        Operation best = null;
        int bestTemplated = Integer.MAX_VALUE;
        for (Operation op : operations) {
            if (!op.method().equals(method)) continue;
            String[] template = op.template().split("/", -1);
            if (template.length != actual.length) continue;
            int templated = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    templated++;
                    matches = !actual[i].isEmpty();
                } else {
                    matches = template[i].equals(actual[i]);
                }
            }
            if (matches && templated < bestTemplated) {
                best = op;
                bestTemplated = templated;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * What is wrong with an answer to {@code method pathAndQuery}, measured against the document: an
     * undocumented status, a missing required header, another media type, a body that breaks the schema (a
     * body of a media type other than JSON, such as {@code text/csv}, as one string), or a body where none is
     * documented. Empty when it conforms, and for paths the document does not have.
     */
    public List<String> problems(String method, String pathAndQuery, FeishuHttp.Response response) {
        Optional<Operation> found = match(method, pathAndQuery);
        if (found.isEmpty()) return List.of();
        Operation op = found.get();
        String where = door + ".json " + op.describe() + " answered " + response.status();
        List<String> problems = new ArrayList<>();
        String status = Integer.toString(response.status());
        JsonNode responses = op.node().path("responses");
        String key = responses.has(status) ? status : responses.has(status.charAt(0) + "XX") ? status.charAt(0) + "XX"
                : responses.has("default") ? "default" : null;
        if (key == null) {
            List<String> documented = new ArrayList<>();
            responses.fieldNames().forEachRemaining(documented::add);
            return List.of(where + ": status not documented (documented: " + documented + "), body " + response.text());
        }
        String pointer = resolvedPointer(op.pointer() + "/responses/" + escape(key));
        JsonNode documented = document.at(pointer);
        for (Iterator<Map.Entry<String, JsonNode>> h = documented.path("headers").fields(); h.hasNext(); ) {
            Map.Entry<String, JsonNode> header = h.next();
            String headerPointer = resolvedPointer(pointer + "/headers/" + escape(header.getKey()));
            JsonNode spec = document.at(headerPointer);
            String value = response.header(header.getKey());
            if (value == null) {
                if (spec.path("required").asBoolean(false)) problems.add(where + ": required header " + header.getKey() + " is missing");
                continue;
            }
            if (spec.has("schema")) {
                JsonNode schema = resolve(spec.get("schema"));
                JsonNode instance = "integer".equals(schema.path("type").asText()) && value.matches("-?\\d{1,18}")
                        ? LongNode.valueOf(Long.parseLong(value)) : TextNode.valueOf(value);
                for (Error e : schemaAt(headerPointer + "/schema").validate(instance)) {
                    problems.add(where + ": header " + header.getKey() + " " + value + ": " + e);
                }
            }
        }
        JsonNode content = documented.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!response.text().isEmpty()) problems.add(where + ": no body is documented, but got " + response.text());
            return problems;
        }
        String type = response.header("content-type");
        String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(media)) {
            List<String> types = new ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            problems.add(where + ": content type " + type + " is not one of " + types);
            return problems;
        }
        String schemaPointer = pointer + "/content/" + escape(media) + "/schema";
        if (!isJson(media)) {
            // A text body (the admin door's CSV) is checked as one JSON string against its schema.
            for (Error e : schemaAt(schemaPointer).validate(TextNode.valueOf(response.text()))) {
                problems.add(where + ": " + e + " in " + response.text());
            }
            return problems;
        }
        JsonNode body;
        try {
            body = FeishuHttp.JSON.readTree(response.text());
        } catch (IOException e) {
            problems.add(where + ": body is not JSON: " + response.text());
            return problems;
        }
        if (body == null || body.isMissingNode()) {
            problems.add(where + ": a body is documented, but there is none");
            return problems;
        }
        for (Error e : schemaAt(schemaPointer).validate(body)) problems.add(where + ": " + e + " in " + response.text());
        return problems;
    }

    /** Whether a media type's bodies are JSON ({@code application/json}, {@code application/problem+json}, ...). */
    static boolean isJson(String media) {
        return media.equals("application/json") || media.endsWith("+json");
    }

    /** Every {@code $ref} of the document that does not resolve inside it. */
    public List<String> unresolvedRefs() {
        List<String> out = new ArrayList<>();
        collectRefs(document, "", out);
        return out;
    }

    private void collectRefs(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            JsonNode target = node.get("$ref");
            if (target != null && (!target.isTextual() || !target.asText().startsWith("#")
                    || document.at(target.asText().substring(1)).isMissingNode())) {
                out.add(at + ": " + target);
            }
            node.fields().forEachRemaining(e -> collectRefs(e.getValue(), at + "/" + escape(e.getKey()), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) collectRefs(node.get(i), at + "/" + i, out);
        }
    }

    /** The path parameters an operation declares (its own and its path item's, {@code $ref}s followed). */
    public Set<String> pathParameters(Operation op) {
        Set<String> names = new java.util.TreeSet<>();
        List<JsonNode> lists = List.of(document.path("paths").path(op.template()).path("parameters"),
                op.node().path("parameters"));
        for (JsonNode list : lists) {
            for (JsonNode p : list) {
                JsonNode parameter = resolve(p);
                if (parameter != null && "path".equals(parameter.path("in").asText())) names.add(parameter.path("name").asText());
            }
        }
        return names;
    }

    /** A JSON pointer reference token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: the characters a fragment may not hold, percent-encoded. */
    static String fragment(String pointer) {
        return pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    }

    @Override
    public String toString() {
        return door + ".json (" + text.length() + " characters, " + operations.size() + " operations)";
    }
}
