package mailroom.seed;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A seed file read the way {@code mailroom check-seed} reads it: every problem, not only the first, each with
 * its line, column and field path. The file is parsed by the seed reader's own Jackson parser, whose token
 * locations give the lines; its shape is checked against {@link SeedFile}'s records, and what it says against
 * {@link SeedRules}. A file with no problem here is one {@link Seeder#read} and a server start accept.
 */
public final class SeedCheck {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_]+");
    /** The seed reader, but taking a key given twice (the scan reports it, with its place, and the check goes on). */
    private static final ObjectMapper LENIENT = Seeder.YAML.copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final PropertyNamingStrategies.NamingBase SNAKE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** One problem: where (line and column from 1, a field path, empty for the whole file) and what. */
    public record Problem(int line, int column, String path, String message) {
        /** {@code FILE:LINE:COLUMN: FIELD.PATH: message}, the way compilers point into a file. */
        public String render(String file) {
            return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    /**
     * Every problem, in the order of the file, and the seed as far as it could be read: exactly what
     * {@link Seeder#read} answers when there is no problem, null when the file could not be parsed at all.
     */
    public record Result(List<Problem> problems, SeedFile seed) {
        public int tenants() {
            return seed == null || seed.tenants() == null ? 0 : (int) seed.tenants().stream().filter(Objects::nonNull).count();
        }

        public int users() {
            return count(SeedFile.TenantSeed::users);
        }

        public int apps() {
            return count(SeedFile.TenantSeed::apps);
        }

        private int count(java.util.function.Function<SeedFile.TenantSeed, List<?>> list) {
            if (seed == null || seed.tenants() == null) return 0;
            return seed.tenants().stream().filter(Objects::nonNull).map(list).filter(Objects::nonNull)
                    .mapToInt(l -> (int) l.stream().filter(Objects::nonNull).count()).sum();
        }
    }

    private SeedCheck() {}

    /** Reads and checks a file; an unreadable one is an IOException (as for {@link Seeder#read(Path)}). */
    public static Result check(Path file, SeedRules rules) throws IOException {
        return check(Files.readAllBytes(file), rules);
    }

    public static Result check(byte[] text, SeedRules rules) {
        Locations at = new Locations();
        List<Problem> problems = new ArrayList<>();
        JsonNode tree;
        try {
            at.scan(text, problems);
            // Duplicate keys are reported by the scan, with their place; the tree keeps the later value and goes on.
            tree = LENIENT.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            int line = where == null || where.getLineNr() < 1 ? 1 : where.getLineNr();
            int column = where == null || where.getColumnNr() < 1 ? 1 : where.getColumnNr();
            return new Result(List.of(new Problem(line, column, "", "malformed YAML/JSON: " + Seeder.problem(e.getOriginalMessage()))), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) return new Result(List.of(new Problem(1, 1, "", "the file is empty")), null);
        if (!tree.isObject()) {
            return new Result(List.of(at.problem("", "expected a mapping with 'tenants' at the top, found " + kind(tree), false)), null);
        }
        Shape shape = new Shape(at, problems);
        JsonNode readable = shape.walk(tree, SeedFile.class, "");
        SeedFile seed;
        try {
            seed = Seeder.YAML.treeToValue(readable, SeedFile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The shape walk drops what Jackson would refuse; should it miss something, say so rather than pass.
            problems.add(at.problem("", Seeder.problem(e.getMessage()), false));
            return new Result(sorted(problems), null);
        }
        for (SeedRules.Problem p : rules.check(seed)) {
            if (!shape.spoilt(p.path())) problems.add(at.problem(p.path(), p.message(), p.atKey()));
        }
        if (problems.isEmpty()) {
            try {
                seed = Seeder.read(new ByteArrayInputStream(text));
            } catch (IOException e) {
                problems.add(new Problem(1, 1, "", e.getMessage()));
            }
        }
        return new Result(sorted(problems), seed);
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream().sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column)).toList();
    }

    /** The path of a field of {@code parent}: {@code a.b}, or {@code a["POST /x"]} for a key that is not a plain name. */
    static String field(String parent, String name) {
        if (parent.isEmpty() && PLAIN_KEY.matcher(name).matches()) return name;
        return parent + keySegment(name);
    }

    /** {@code .name}, or {@code ["name"]} for a key with spaces, slashes or other marks (a rate-limit route). */
    static String keySegment(String name) {
        return PLAIN_KEY.matcher(name).matches() ? "." + name : "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** The seed file's name of a record component: Jackson's snake case, as the reader maps it. */
    static String snake(String component) {
        return SNAKE.translate(component);
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : node.isNumber() ? "a number" : node.isBoolean() ? "true or false" : "text";
    }

    /** Where each field path's key and value start, from the parser's token locations. */
    static final class Locations {
        private final Map<String, int[]> keys = new HashMap<>();
        private final Map<String, int[]> values = new HashMap<>();

        /** One open mapping or list while scanning. */
        private static final class Frame {
            final String path;
            final boolean list;
            int index;
            String name;
            final Set<String> names = new HashSet<>();

            Frame(String path, boolean list) {
                this.path = path;
                this.list = list;
            }

            String next() {
                return list ? path + "[" + index++ + "]" : field(path, name);
            }
        }

        /** Records every location of the first document; a key given twice in one mapping is a problem. */
        void scan(byte[] text, List<Problem> problems) throws IOException {
            try (JsonParser p = LENIENT.getFactory().createParser(text)) {
                Deque<Frame> open = new ArrayDeque<>();
                JsonToken token;
                while ((token = p.nextToken()) != null) {
                    JsonLocation where = p.currentTokenLocation();
                    int[] mark = {Math.max(1, where.getLineNr()), Math.max(1, where.getColumnNr())};
                    if (token == JsonToken.FIELD_NAME) {
                        Frame top = open.peek();
                        top.name = p.currentName();
                        String path = field(top.path, top.name);
                        if (!top.names.add(top.name)) problems.add(new Problem(mark[0], mark[1], path, "duplicate field (given twice in this mapping)"));
                        keys.put(path, mark);
                        continue;
                    }
                    if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        open.pop();
                        if (open.isEmpty()) return;
                        continue;
                    }
                    String path = open.isEmpty() ? "" : open.peek().next();
                    values.put(path, mark);
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        open.push(new Frame(path, token == JsonToken.START_ARRAY));
                    } else if (open.isEmpty()) {
                        return;
                    }
                }
            }
        }

        /** A problem at the path's value (or key), or else at the nearest enclosing mapping or list. */
        Problem problem(String path, String message, boolean atKey) {
            int[] mark = null;
            for (String p = path; mark == null; p = parent(p)) {
                mark = atKey && p.equals(path) ? or(keys.get(p), values.get(p)) : or(values.get(p), keys.get(p));
                if (p.isEmpty()) break;
            }
            return mark == null ? new Problem(1, 1, path, message) : new Problem(mark[0], mark[1], path, message);
        }

        private static int[] or(int[] a, int[] b) {
            return a != null ? a : b;
        }

        private static String parent(String path) {
            if (path.endsWith("\"]")) return path.substring(0, path.lastIndexOf("[\""));
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut < 0 ? "" : path.substring(0, cut);
        }
    }

    /**
     * The seed's shape, checked against the records of {@link SeedFile}: unknown fields, values of the wrong
     * kind, NUL characters. Answers a copy without what is wrong, so that the rules can still read the rest.
     */
    private static final class Shape {
        private final Locations at;
        private final List<Problem> problems;
        private final List<String> spoilt = new ArrayList<>();

        Shape(Locations at, List<Problem> problems) {
            this.at = at;
            this.problems = problems;
        }

        /** Whether a problem of the rules lies in (or is caused by) a part already found wrong. */
        boolean spoilt(String path) {
            for (String s : spoilt) {
                if (path.equals(s) || path.startsWith(s + ".") || path.startsWith(s + "[")) return true;
            }
            return false;
        }

        private JsonNode refuse(String path, String message, boolean atKey) {
            problems.add(at.problem(path, message, atKey));
            spoilt.add(path);
            return null;
        }

        /** The node as far as it fits {@code type}; null (and problems) where it does not. */
        JsonNode walk(JsonNode node, Type type, String path) {
            if (node.isNull()) return node;
            if (type instanceof Class<?> record && record.isRecord()) {
                if (!node.isObject()) return refuse(path, "expected a mapping", false);
                Map<String, RecordComponent> known = new LinkedHashMap<>();
                for (RecordComponent c : record.getRecordComponents()) known.put(snake(c.getName()), c);
                ObjectNode out = Seeder.YAML.createObjectNode();
                for (Map.Entry<String, JsonNode> f : node.properties()) {
                    String child = field(path, f.getKey());
                    RecordComponent c = known.get(f.getKey());
                    if (c == null) {
                        refuse(child, "unknown field (known: " + String.join(", ", known.keySet().stream().sorted().toList()) + ")", true);
                        continue;
                    }
                    JsonNode value = walk(f.getValue(), c.getGenericType(), child);
                    if (value != null) out.set(f.getKey(), value);
                }
                return out;
            }
            if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
                if (!node.isArray()) return refuse(path, "expected a list", false);
                ArrayNode out = Seeder.YAML.createArrayNode();
                for (int i = 0; i < node.size(); i++) {
                    JsonNode value = walk(node.get(i), generic.getActualTypeArguments()[0], path + "[" + i + "]");
                    // A placeholder keeps the indexes of the entries after it, which the rules' paths name.
                    out.add(value == null ? Seeder.YAML.nullNode() : value);
                }
                return out;
            }
            if (type instanceof ParameterizedType generic && generic.getRawType() == Map.class) {
                if (!node.isObject()) return refuse(path, "expected a mapping", false);
                ObjectNode out = Seeder.YAML.createObjectNode();
                for (Map.Entry<String, JsonNode> f : node.properties()) {
                    JsonNode value = walk(f.getValue(), generic.getActualTypeArguments()[1], path + keySegment(f.getKey()));
                    if (value != null) out.set(f.getKey(), value);
                }
                return out;
            }
            Class<?> scalar = (Class<?>) type;
            String expected = scalar == String.class ? "text" : scalar == Boolean.class ? "true or false" : "a number";
            if (node.isContainerNode()) return refuse(path, "expected " + expected, false);
            if (node.isTextual() && node.asText().indexOf('\0') >= 0) return refuse(path, "contains a NUL character", false);
            try {
                Seeder.YAML.treeToValue(node, scalar);
                return node;
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return refuse(path, "expected " + expected, false);
            }
        }
    }
}
