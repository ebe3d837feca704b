package mailroom.seed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Tenants tenants;

    public Seeder(Tenants tenants) {
        this.tenants = tenants;
    }

    /** YAML is a superset of JSON, so one reader takes both. */
    public static SeedFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static SeedFile read(InputStream in) throws IOException {
        com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(in);
        rejectNul(tree, "");
        SeedFile seed = tree == null ? null : YAML.treeToValue(tree, SeedFile.class);
        if (seed == null || seed.tenants() == null) throw new IOException("seed file has no tenants");
        return seed;
    }

    /** No value of the directory may hold U+0000 (PostgreSQL cannot store it): say where, before anything runs. */
    private static void rejectNul(com.fasterxml.jackson.databind.JsonNode node, String where) throws IOException {
        if (node == null) return;
        if (node.isTextual() && node.asText().indexOf('\0') >= 0) {
            throw new IOException("seed file: " + where + " contains a NUL character");
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

    public void apply(SeedFile seed) {
        for (SeedFile.TenantSeed t : seed.tenants()) {
            tenants.provision(mailroom.directory.Caller.seed(t.key()), specOf(t)).forEach(note -> LOG.warn("seed: {}", note));
        }
    }

    /** The provisioning spec of one tenant of a seed file. */
    public static TenantSpec specOf(SeedFile.TenantSeed t) {
        require(t.key(), "tenants[].key");
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
        List<Department> departments = list(t.departments()).stream().map(dep -> new Department(t.key(),
                require(dep.departmentId(), "department_id"),
                dep.openDepartmentId() == null ? dep.departmentId() : dep.openDepartmentId(),
                dep.name() == null ? "" : dep.name(), dep.parent())).toList();
        List<UserSpec> users = list(t.users()).stream().map(u -> new UserSpec(
                new User(null, t.key(), require(u.userId(), "user_id"), or(u.openId(), "ou_" + u.userId()),
                        or(u.unionId(), "on_" + u.userId()), u.name() == null ? "" : u.name()),
                u.email(), list(u.departments()))).toList();
        List<AppSpec> apps = list(t.apps()).stream().map(a -> new AppSpec(require(a.appId(), "app_id"),
                require(a.appSecret(), "app_secret"), Set.copyOf(list(a.scopes())))).toList();
        List<ServiceAccountSpec> accounts = t.hybridbox() == null ? List.of()
                : list(t.hybridbox().serviceAccounts()).stream().map(s -> new ServiceAccountSpec(
                require(s.name(), "service_accounts[].name"), require(s.token(), "service_accounts[].token"),
                List.copyOf(list(s.permissions())))).toList();
        return new TenantSpec(tenant, list(t.domains()), departments, users, apps, accounts,
                t.rateLimits() == null ? Map.of() : Map.copyOf(t.rateLimits()));
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value;
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("seed: " + field + " is required");
        return value;
    }
}
