package mailroom.seed;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import mailroom.directory.tenant.AppSecrets;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.Tenants.*;
import mailroom.directory.tenant.User;

/** Turns a seed file into tenant provisioning calls; provisioning the same file twice changes nothing. */
public final class Seeder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Seeder.class);
    /** The one reader of seed files (check-seed reads with it too, so that both see the same values). */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            // A key given twice would silently lose its first value (a second "users:" drops the first list).
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Tenants tenants;

    public Seeder(Tenants tenants) {
        this.tenants = tenants;
    }

    /** YAML is a superset of JSON, so one reader takes both. A refusal says where: line, column and field path. */
    public static SeedFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static SeedFile read(InputStream in) throws IOException {
        // Parsed twice: the tree finds NUL characters anywhere, the typed read keeps the line of a wrong field.
        byte[] text = in.readAllBytes();
        JsonNode tree;
        SeedFile seed;
        try {
            tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) throw new IOException("the file is empty");
            rejectNul(tree, "");
            if (!tree.isObject()) throw new IOException("expected a mapping with 'tenants' at the top, found " + kind(tree));
            seed = YAML.readValue(text, SeedFile.class);
        } catch (JsonProcessingException e) {
            throw new IOException(describe(e), e);
        }
        if (seed.tenants() == null) throw new IOException("no 'tenants' list at the top");
        return seed;
    }

    /** Jackson's refusal in a seed author's words: where (line, column, field path) and what was wrong. */
    static String describe(JsonProcessingException e) {
        StringBuilder where = new StringBuilder();
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) where.append("line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
        String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        if (!path.isEmpty()) where.append(where.isEmpty() ? "" : ": ").append(path);
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown field (known: " + String.join(", ", u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")";
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            what = "expected " + expected(m.getTargetType());
        } else if (e instanceof JsonParseException || e instanceof JacksonYAMLParseException) {
            what = "malformed YAML/JSON: " + problem(e.getOriginalMessage());
        } else {
            what = problem(e.getOriginalMessage());
        }
        return where.isEmpty() ? what : where + ": " + what;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) path.append('[').append(r.getIndex()).append(']');
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (List.class.isAssignableFrom(type) || type.isArray()) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord()) return "a mapping";
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        return "text";
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : node.isNumber() ? "a number" : node.isBoolean() ? "true or false" : "text";
    }

    /** SnakeYAML's message spans lines (context, a quoted excerpt, a caret); its last line names the problem. */
    static String problem(String message) {
        if (message == null) return "unreadable";
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("in 'reader'")
                && !l.equals("^")).toList();
        if (lines.isEmpty()) return message.strip();
        String last = lines.get(lines.size() - 1);
        return lines.size() > 1 && !lines.get(0).equals(last) && lines.get(0).startsWith("while ") ? lines.get(0) + ": " + last : last;
    }

    /** No value of the directory may hold U+0000 (PostgreSQL cannot store it): say where, before anything runs. */
    private static void rejectNul(JsonNode node, String where) throws IOException {
        if (node == null) return;
        if (node.isTextual() && node.asText().indexOf('\0') >= 0) {
            throw new IOException(where + " contains a NUL character");
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            rejectNul(field.getValue(), where.isEmpty() ? field.getKey() : where + "." + field.getKey());
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) rejectNul(node.get(i), where + "[" + i + "]");
    }

    public static SeedFile demo() {
        try (InputStream in = Seeder.class.getResourceAsStream("/demo-seed.yaml")) {
            return read(Objects.requireNonNull(in, "demo-seed.yaml missing from the jar"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Provisions every tenant; a refusal (a missing field, or one the directory rejects) is rethrown as an
     * IllegalArgumentException whose message starts with the tenant's place in the file, e.g. {@code tenants[1] (acme): }.
     */
    public void apply(SeedFile seed) {
        apply(seed, prepare(List.of(seed)));
    }

    /**
     * Starts the PBKDF2 work of every app these seeds name (see {@link AppSecrets}), so that it runs while the
     * caller does something else. A tenant entry that {@link #apply} will refuse is left out here.
     */
    public AppSecrets prepare(List<SeedFile> seeds) {
        return tenants.prepareSecrets(specsOf(seeds));
    }

    /** As {@link #prepare}, for a store that does not exist yet: every secret is hashed, none needs reading. */
    public static AppSecrets prepareForEmptyStore(List<SeedFile> seeds) {
        return AppSecrets.forEmptyStore(specsOf(seeds));
    }

    private static List<TenantSpec> specsOf(List<SeedFile> seeds) {
        List<TenantSpec> specs = new java.util.ArrayList<>();
        for (SeedFile seed : seeds) {
            for (SeedFile.TenantSeed t : seed.tenants()) {
                try {
                    if (t != null) specs.add(specOf(t));
                } catch (IllegalArgumentException e) {
                    // apply() refuses this tenant with its place in the file; nothing to work out for it.
                }
            }
        }
        return specs;
    }

    /** As {@link #apply(SeedFile)}, with the apps' secrets worked out ahead by {@link #prepare}. */
    public void apply(SeedFile seed, AppSecrets secrets) {
        for (int i = 0; i < seed.tenants().size(); i++) {
            SeedFile.TenantSeed t = seed.tenants().get(i);
            String where = "tenants[" + i + "]" + (t == null || t.key() == null ? "" : " (" + t.key() + ")");
            try {
                if (t == null) throw new IllegalArgumentException("is empty");
                tenants.provision(mailroom.directory.Caller.seed(t.key()), specOf(t), secrets).forEach(note -> LOG.warn("seed: {}", note));
            } catch (IllegalArgumentException | mailroom.directory.DirectoryException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
    }

    /** The provisioning spec of one tenant of a seed file. */
    public static TenantSpec specOf(SeedFile.TenantSeed t) {
        require(t.key(), "key");
        GeoPolicy geo = GeoPolicy.NONE;
        if (t.geo() != null && Boolean.TRUE.equals(t.geo().multiGeo())) {
            List<String> allowed = t.geo().allowed() == null ? List.of() : List.copyOf(t.geo().allowed());
            String defaultGeo = t.geo().defaultGeo() != null ? t.geo().defaultGeo() : allowed.isEmpty() ? null : allowed.get(0);
            geo = new GeoPolicy(true, allowed, defaultGeo);
        }
        Limits d = Limits.DEFAULTS;
        SeedFile.LimitsSeed l = t.limits();
        Limits limits = l == null ? d : new Limits(
                or(l.publicMailboxes(), d.publicMailboxes()), or(l.mailGroups(), d.mailGroups()),
                or(l.mailGroupMembers(), d.mailGroupMembers()), or(l.aliasesPerAddress(), d.aliasesPerAddress()),
                or(l.publicMailboxesPerUser(), d.publicMailboxesPerUser()), or(l.userMailboxes(), d.userMailboxes()));
        String accountId = t.hybridbox() == null ? null : t.hybridbox().accountId();
        Tenant tenant = new Tenant(t.key(), t.name() == null ? t.key() : t.name(), geo, limits, accountId, 0, 0);
        List<Department> departments = indexed(t.departments(), (dep, at) -> new Department(t.key(),
                require(dep.departmentId(), "departments[" + at + "].department_id"),
                openDepartmentId(dep),
                dep.name() == null ? dep.departmentId() : dep.name(), dep.parent()));
        List<UserSpec> users = indexed(t.users(), (u, at) -> new UserSpec(
                new User(null, t.key(), require(u.userId(), "users[" + at + "].user_id"), openId(u), unionId(u),
                        u.name() == null || u.name().isBlank() ? u.userId() : u.name()),
                u.email(), list(u.departments())));
        List<AppSpec> apps = indexed(t.apps(), (a, at) -> new AppSpec(require(a.appId(), "apps[" + at + "].app_id"),
                require(a.appSecret(), "apps[" + at + "].app_secret"), Set.copyOf(list(a.scopes()))));
        List<ServiceAccountSpec> accounts = t.hybridbox() == null ? List.of()
                : indexed(t.hybridbox().serviceAccounts(), (s, at) -> new ServiceAccountSpec(
                require(s.name(), "hybridbox.service_accounts[" + at + "].name"),
                require(s.token(), "hybridbox.service_accounts[" + at + "].token"), List.copyOf(list(s.permissions()))));
        return new TenantSpec(tenant, list(t.domains()), departments, users, apps, accounts,
                t.rateLimits() == null ? Map.of() : Map.copyOf(t.rateLimits()));
    }

    /** A user's open id: as given, or made from the user id. */
    static String openId(SeedFile.UserSeed u) {
        return or(u.openId(), "ou_" + u.userId());
    }

    /** A user's union id: as given, or made from the user id. */
    static String unionId(SeedFile.UserSeed u) {
        return or(u.unionId(), "on_" + u.userId());
    }

    /** A department's open id: as given, or its department id. */
    static String openDepartmentId(SeedFile.DepartmentSeed d) {
        return or(d.openDepartmentId(), d.departmentId());
    }

    /** Maps each entry with its index, for messages that point into the file; an empty entry is refused by its index. */
    private static <T, R> List<R> indexed(List<T> values, java.util.function.BiFunction<T, Integer, R> map) {
        List<R> out = new java.util.ArrayList<>();
        for (int i = 0; values != null && i < values.size(); i++) {
            if (values.get(i) == null) throw new IllegalArgumentException("entry " + i + " of a list is empty");
            out.add(map.apply(values.get(i), i));
        }
        return out;
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value;
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is required");
        return value;
    }
}
