package mailroom.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import mailroom.directory.Ids;
import mailroom.directory.Records.NewUser;
import mailroom.directory.Records.TenantRecords;
import mailroom.directory.access.App;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.DepartmentRef;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Tenants, domains, departments, people, apps and the signing secret. */
final class SqlTenantRecords implements TenantRecords {
    private final Handle h;
    private final Dialect dialect;
    /** The write transaction, which remembers tenants and domains it guards; null in a read. */
    private final WriteTransaction tx;

    SqlTenantRecords(Handle h, Dialect dialect, WriteTransaction tx) {
        this.h = h;
        this.dialect = dialect;
        this.tx = tx;
    }

    @Override
    public void upsertTenant(Tenant t) {
        if (tx != null) tx.tenantChanged(t.key());
        h.createUpdate("""
                INSERT INTO tenant (tenant_key, name, multi_geo, allowed_geos, default_geo, limit_public_mailboxes,
                    limit_mail_groups, limit_mail_group_members, limit_aliases_per_address,
                    limit_public_mailboxes_per_user, limit_user_mailboxes, account_id, created_at, updated_at)
                VALUES (:key, :name, :multiGeo, :allowed, :defaultGeo, :pm, :mg, :mgm, :apa, :pmu, :um, :hbx, :created,
                    :updated)
                ON CONFLICT (tenant_key) DO UPDATE SET name = excluded.name, multi_geo = excluded.multi_geo,
                    allowed_geos = excluded.allowed_geos, default_geo = excluded.default_geo,
                    limit_public_mailboxes = excluded.limit_public_mailboxes,
                    limit_mail_groups = excluded.limit_mail_groups,
                    limit_mail_group_members = excluded.limit_mail_group_members,
                    limit_aliases_per_address = excluded.limit_aliases_per_address,
                    limit_public_mailboxes_per_user = excluded.limit_public_mailboxes_per_user,
                    limit_user_mailboxes = excluded.limit_user_mailboxes,
                    account_id = excluded.account_id, updated_at = excluded.updated_at
                """)
                .bind("key", t.key()).bind("name", t.name()).bind("multiGeo", t.geo().multiGeo())
                .bind("allowed", String.join(",", t.geo().allowed())).bind("defaultGeo", t.geo().defaultGeo())
                .bind("pm", t.limits().publicMailboxes()).bind("mg", t.limits().mailGroups())
                .bind("mgm", t.limits().mailGroupMembers()).bind("apa", t.limits().aliasesPerAddress())
                .bind("pmu", t.limits().publicMailboxesPerUser())
                .bind("um", t.limits().userMailboxes()).bind("hbx", t.accountId())
                .bind("created", t.createdAt()).bind("updated", t.updatedAt())
                .execute();
    }

    @Override
    public Optional<Tenant> tenant(String key) {
        return tx == null ? readTenant(key) : tx.tenant(key, () -> readTenant(key));
    }

    private Optional<Tenant> readTenant(String key) {
        return h.createQuery("SELECT * FROM tenant WHERE tenant_key = :k").bind("k", key)
                .map((rs, ctx) -> tenant(rs)).findOne();
    }

    @Override
    public Optional<Tenant> tenantByAccountId(String accountId) {
        return h.createQuery("SELECT * FROM tenant WHERE account_id = :a").bind("a", accountId)
                .map((rs, ctx) -> tenant(rs)).findOne();
    }

    @Override
    public List<Tenant> allTenants() {
        return h.createQuery("SELECT * FROM tenant ORDER BY tenant_key").map((rs, ctx) -> tenant(rs)).list();
    }

    @Override
    public Map<String, Long> usage(String tenantKey) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        out.put("users", count("SELECT COUNT(*) FROM person WHERE tenant_key = :t", tenantKey));
        out.put("departments", count("SELECT COUNT(*) FROM department WHERE tenant_key = :t", tenantKey));
        UsageCounters counters = new UsageCounters(h, tx);
        out.put("user_mailboxes", counters.value(UsageCounters.Counted.TENANT_USER_MAILBOXES, tenantKey));
        out.put("public_mailboxes", counters.value(UsageCounters.Counted.TENANT_PUBLIC_MAILBOXES, tenantKey));
        out.put("mail_groups", counters.value(UsageCounters.Counted.TENANT_MAIL_GROUPS, tenantKey));
        out.put("addresses", count("SELECT COUNT(*) FROM address WHERE tenant_key = :t", tenantKey));
        out.put("apps", count("SELECT COUNT(*) FROM app WHERE tenant_key = :t", tenantKey));
        out.put("service_accounts", count("SELECT COUNT(*) FROM service_account WHERE tenant_key = :t AND revoked_at IS NULL",
                tenantKey));
        return out;
    }

    private long count(String sql, String tenantKey) {
        return h.createQuery(sql).bind("t", tenantKey).mapTo(Long.class).one();
    }

    @Override
    public void deleteTenant(String tenantKey) {
        // Children before parents, so that no foreign key is ever violated; member, manager and permission rows
        // go with their mail group (ON DELETE CASCADE). Counters are keyed by the ids of the tenant's rows.
        String[] statements = {
            """
            DELETE FROM usage_counter WHERE scope_id = :t
                OR scope_id IN (SELECT id FROM mail_group WHERE tenant_key = :t)
                OR scope_id IN (SELECT id FROM user_mailbox WHERE tenant_key = :t)
                OR scope_id IN (SELECT id FROM public_mailbox WHERE tenant_key = :t)
                OR scope_id IN (SELECT id FROM person WHERE tenant_key = :t)""",
            "DELETE FROM retired_token WHERE service_account_id IN (SELECT id FROM service_account WHERE tenant_key = :t)",
            "DELETE FROM webhook_delivery WHERE webhook_id IN (SELECT id FROM webhook WHERE tenant_key = :t)",
            "DELETE FROM webhook WHERE tenant_key = :t",
            "DELETE FROM mail_group WHERE tenant_key = :t",
            "DELETE FROM public_mailbox WHERE tenant_key = :t",
            "DELETE FROM address WHERE tenant_key = :t",
            "DELETE FROM user_mailbox WHERE tenant_key = :t",
            "DELETE FROM person_department WHERE person_id IN (SELECT id FROM person WHERE tenant_key = :t)",
            "DELETE FROM person WHERE tenant_key = :t",
            "DELETE FROM department WHERE tenant_key = :t",
            "DELETE FROM app WHERE tenant_key = :t",
            "DELETE FROM retired_app_secret WHERE tenant_key = :t",
            "DELETE FROM service_account WHERE tenant_key = :t",
            "DELETE FROM tenant_rate_limit WHERE tenant_key = :t",
            "DELETE FROM domain WHERE tenant_key = :t",
            "DELETE FROM tenant WHERE tenant_key = :t"
        };
        for (String sql : statements) h.createUpdate(sql).bind("t", tenantKey).execute();
        if (tx != null) tx.forgetRows();
    }

    static Tenant tenant(ResultSet rs) throws SQLException {
        String allowed = rs.getString("allowed_geos");
        List<String> geos = allowed == null || allowed.isEmpty() ? List.of() : List.of(allowed.split(","));
        return new Tenant(rs.getString("tenant_key"), rs.getString("name"),
                new GeoPolicy(rs.getBoolean("multi_geo"), geos, rs.getString("default_geo")),
                new Limits(rs.getInt("limit_public_mailboxes"), rs.getInt("limit_mail_groups"),
                        rs.getInt("limit_mail_group_members"), rs.getInt("limit_aliases_per_address"),
                        rs.getInt("limit_public_mailboxes_per_user"), rs.getInt("limit_user_mailboxes")),
                rs.getString("account_id"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    @Override
    public Domain upsertDomain(Domain d) {
        if (tx != null) tx.domainsChanged();
        h.createUpdate("""
                INSERT INTO domain (id, tenant_key, name, created_at, updated_at)
                VALUES (:id, :t, :name, :c, :u) ON CONFLICT (name) DO NOTHING""")
                .bind("id", d.id()).bind("t", d.tenantKey()).bind("name", d.name())
                .bind("c", d.createdAt()).bind("u", d.updatedAt()).execute();
        return domainByName(d.name()).orElseThrow();
    }

    @Override
    public Optional<Domain> domainByName(String name) {
        return tx == null ? readDomain(name) : tx.domain(name, () -> readDomain(name));
    }

    private Optional<Domain> readDomain(String name) {
        return h.createQuery("SELECT * FROM domain WHERE name = :n").bind("n", name).map((rs, c) -> domain(rs)).findOne();
    }

    @Override
    public Optional<Domain> domainById(String id) {
        return h.createQuery("SELECT * FROM domain WHERE id = :id").bind("id", id).map((rs, c) -> domain(rs)).findOne();
    }

    @Override
    public List<Domain> domainsOf(String tenantKey) {
        return h.createQuery("SELECT * FROM domain WHERE tenant_key = :t ORDER BY created_at, name")
                .bind("t", tenantKey).map((rs, c) -> domain(rs)).list();
    }

    @Override
    public void deleteDomain(String domainId) {
        h.createUpdate("DELETE FROM domain WHERE id = :id").bind("id", domainId).execute();
        if (tx != null) tx.domainsChanged();
    }

    private static Domain domain(ResultSet rs) throws SQLException {
        return new Domain(rs.getString("id"), rs.getString("tenant_key"), rs.getString("name"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    @Override
    public void upsertDepartment(Department d) {
        h.createUpdate("""
                INSERT INTO department (tenant_key, department_id, open_department_id, name, parent_department_id)
                VALUES (:t, :id, :open, :name, :parent)
                ON CONFLICT (tenant_key, department_id) DO UPDATE SET open_department_id = excluded.open_department_id,
                    name = excluded.name, parent_department_id = excluded.parent_department_id""")
                .bind("t", d.tenantKey()).bind("id", d.departmentId()).bind("open", d.openDepartmentId())
                .bind("name", d.name()).bind("parent", d.parentDepartmentId()).execute();
    }

    @Override
    public Optional<Department> department(String tenantKey, DepartmentRef ref) {
        String column = ref.kind() == DepartmentIdKind.DEPARTMENT_ID ? "department_id" : "open_department_id";
        return h.createQuery("SELECT * FROM department WHERE tenant_key = :t AND " + column + " = :v")
                .bind("t", tenantKey).bind("v", ref.value()).map((rs, c) -> department(rs)).findOne();
    }

    @Override
    public List<Department> departments(String tenantKey) {
        return h.createQuery("SELECT * FROM department WHERE tenant_key = :t ORDER BY department_id")
                .bind("t", tenantKey).map((rs, c) -> department(rs)).list();
    }

    private static Department department(ResultSet rs) throws SQLException {
        return new Department(rs.getString("tenant_key"), rs.getString("department_id"), rs.getString("open_department_id"),
                rs.getString("name"), rs.getString("parent_department_id"));
    }

    @Override
    public void deleteDepartment(String tenantKey, String departmentId) {
        h.createUpdate("DELETE FROM department WHERE tenant_key = :t AND department_id = :d")
                .bind("t", tenantKey).bind("d", departmentId).execute();
    }

    @Override
    public long countUsersInDepartment(String tenantKey, String departmentId) {
        return h.createQuery("""
                SELECT COUNT(*) FROM person_department pd JOIN person p ON p.id = pd.person_id
                WHERE p.tenant_key = :t AND pd.department_id = :d""")
                .bind("t", tenantKey).bind("d", departmentId).mapTo(Long.class).one();
    }

    @Override
    public User upsertUser(User u, List<String> departmentIds) {
        User stored = user(u.tenantKey(), new UserRef(UserIdKind.USER_ID, u.userId())).orElse(null);
        String id = stored == null ? (u.id() != null ? u.id() : Ids.shortId()) : stored.id();
        User wanted = new User(id, u.tenantKey(), u.userId(), u.openId(), u.unionId(), u.name());
        if (stored == null) {
            h.createUpdate("""
                    INSERT INTO person (id, tenant_key, user_id, open_id, union_id, name)
                    VALUES (:id, :t, :uid, :oid, :unid, :name)""")
                    .bind("id", id).bind("t", u.tenantKey()).bind("uid", u.userId()).bind("oid", u.openId())
                    .bind("unid", u.unionId()).bind("name", u.name()).execute();
        } else if (!stored.equals(wanted)) {
            h.createUpdate("UPDATE person SET open_id = :oid, union_id = :unid, name = :name WHERE id = :id")
                    .bind("id", id).bind("oid", u.openId()).bind("unid", u.unionId()).bind("name", u.name()).execute();
        }
        Set<String> current = new HashSet<>(h.createQuery("SELECT department_id FROM person_department WHERE person_id = :id")
                .bind("id", id).mapTo(String.class).list());
        if (!current.equals(new HashSet<>(departmentIds))) {
            h.createUpdate("DELETE FROM person_department WHERE person_id = :id").bind("id", id).execute();
            for (String dept : new LinkedHashSet<>(departmentIds)) {
                h.createUpdate("INSERT INTO person_department (person_id, department_id) VALUES (:id, :d)")
                        .bind("id", id).bind("d", dept).execute();
            }
        }
        return wanted;
    }

    @Override
    public Optional<User> user(String tenantKey, UserRef ref) {
        String column = switch (ref.kind()) {
            case OPEN_ID -> "open_id";
            case UNION_ID -> "union_id";
            case USER_ID -> "user_id";
        };
        return h.createQuery("SELECT * FROM person WHERE tenant_key = :t AND " + column + " = :v")
                .bind("t", tenantKey).bind("v", ref.value()).map((rs, c) -> user(rs, "")).findOne();
    }

    @Override
    public Optional<User> userById(String id) {
        return h.createQuery("SELECT * FROM person WHERE id = :id").bind("id", id).map((rs, c) -> user(rs, "")).findOne();
    }

    @Override
    public List<User> usersByIds(String tenantKey, UserIdKind kind, Collection<String> values) {
        String column = switch (kind) {
            case OPEN_ID -> "open_id";
            case UNION_ID -> "union_id";
            case USER_ID -> "user_id";
        };
        List<User> out = new ArrayList<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(values));
        for (int from = 0; from < all.size(); from += 500) {
            out.addAll(h.createQuery("SELECT * FROM person WHERE tenant_key = :t AND " + column + " IN (<v>)")
                    .bind("t", tenantKey).bindList("v", all.subList(from, Math.min(all.size(), from + 500)))
                    .map((rs, c) -> user(rs, "")).list());
        }
        return out;
    }

    @Override
    public List<User> users(String tenantKey, String afterUserId, int limit) {
        return h.createQuery("SELECT * FROM person WHERE tenant_key = :t AND user_id > :after ORDER BY user_id LIMIT :limit")
                .bind("t", tenantKey).bind("after", afterUserId == null ? "" : afterUserId).bind("limit", limit)
                .map((rs, c) -> user(rs, "")).list();
    }

    @Override
    public void insertUsers(List<NewUser> users) {
        if (users.isEmpty()) return;
        PreparedBatch people = h.prepareBatch("""
                INSERT INTO person (id, tenant_key, user_id, open_id, union_id, name)
                VALUES (:id, :t, :uid, :oid, :unid, :name)""");
        PreparedBatch departments = h.prepareBatch("INSERT INTO person_department (person_id, department_id) VALUES (:id, :d)");
        boolean anyDepartment = false;
        for (NewUser n : users) {
            User u = n.user();
            people.bind("id", u.id()).bind("t", u.tenantKey()).bind("uid", u.userId()).bind("oid", u.openId())
                    .bind("unid", u.unionId()).bind("name", u.name()).add();
            for (String d : new LinkedHashSet<>(n.departmentIds())) {
                departments.bind("id", u.id()).bind("d", d).add();
                anyDepartment = true;
            }
        }
        people.execute();
        if (anyDepartment) departments.execute();
    }

    @Override
    public Map<String, List<String>> departmentsOfAll(Collection<String> userIds) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(userIds));
        for (int from = 0; from < all.size(); from += 500) {
            h.createQuery("SELECT person_id, department_id FROM person_department WHERE person_id IN (<ids>)"
                            + " ORDER BY person_id, department_id")
                    .bindList("ids", all.subList(from, Math.min(all.size(), from + 500)))
                    .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
        return out;
    }

    @Override
    public Set<String> existingDepartments(String tenantKey, Collection<String> departmentIds) {
        Set<String> out = new HashSet<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(departmentIds));
        for (int from = 0; from < all.size(); from += 500) {
            out.addAll(h.createQuery("SELECT department_id FROM department WHERE tenant_key = :t AND department_id IN (<ids>)")
                    .bind("t", tenantKey).bindList("ids", all.subList(from, Math.min(all.size(), from + 500)))
                    .mapTo(String.class).list());
        }
        return out;
    }

    @Override
    public List<String> departmentsOf(String userId) {
        return h.createQuery("SELECT department_id FROM person_department WHERE person_id = :id ORDER BY department_id")
                .bind("id", userId).mapTo(String.class).list();
    }

    @Override
    public List<User> usersInDepartmentTree(String tenantKey, String departmentId) {
        return h.createQuery(SqlDeliveryRecords.DEPARTMENT_TREE + """
                SELECT DISTINCT p.* FROM person p JOIN person_department pd ON pd.person_id = p.id
                WHERE p.tenant_key = :t AND pd.department_id IN (SELECT department_id FROM tree) ORDER BY p.user_id""")
                .bind("t", tenantKey).bind("d", departmentId).map((rs, c) -> user(rs, "")).list();
    }

    @Override
    public List<User> listUsers(String tenantKey, String afterUserId, String search, String departmentId, int limit) {
        // Code-point order on both databases: PostgreSQL's default collation would sort by its locale instead.
        String order = dialect == Dialect.POSTGRESQL ? "p.user_id COLLATE \"C\"" : "p.user_id";
        StringBuilder sql = new StringBuilder(departmentId == null ? "" : SqlDeliveryRecords.DEPARTMENT_TREE)
                .append("SELECT p.* FROM person p WHERE p.tenant_key = :t");
        if (afterUserId != null) sql.append(" AND ").append(order).append(" > :after");
        if (departmentId != null) {
            sql.append(" AND p.id IN (SELECT pd.person_id FROM person_department pd"
                    + " WHERE pd.department_id IN (SELECT department_id FROM tree))");
        }
        if (search != null) {
            sql.append(" AND (LOWER(p.user_id) LIKE :q ESCAPE '!' OR LOWER(p.name) LIKE :q ESCAPE '!' OR p.id IN"
                    + " (SELECT m.person_id FROM user_mailbox m WHERE m.tenant_key = :t AND LOWER(m.email) LIKE :q ESCAPE '!'))");
        }
        sql.append(" ORDER BY ").append(order).append(" LIMIT :limit");
        var q = h.createQuery(sql.toString()).bind("t", tenantKey).bind("limit", limit);
        if (afterUserId != null) q.bind("after", afterUserId);
        if (departmentId != null) q.bind("d", departmentId);
        if (search != null) {
            q.bind("q", "%" + search.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        return q.map((rs, c) -> user(rs, "")).list();
    }

    @Override
    public void deleteUser(String id) {
        h.createUpdate("DELETE FROM usage_counter WHERE counted = :counted AND scope_id = :id")
                .bind("counted", UsageCounters.Counted.USER_PUBLIC_MAILBOXES.name()).bind("id", id).execute();
        if (tx != null) tx.counterDropped(UsageCounters.Counted.USER_PUBLIC_MAILBOXES, id);
        h.createUpdate("DELETE FROM person_department WHERE person_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM person WHERE id = :id").bind("id", id).execute();
    }

    /** Maps person columns, optionally prefixed (for joins). */
    static User user(ResultSet rs, String prefix) throws SQLException {
        return new User(rs.getString(prefix + "id"), rs.getString(prefix + "tenant_key"), rs.getString(prefix + "user_id"),
                rs.getString(prefix + "open_id"), rs.getString(prefix + "union_id"), rs.getString(prefix + "name"));
    }

    @Override
    public void upsertApp(App app) {
        h.createUpdate("""
                INSERT INTO app (app_id, tenant_key, secret_hash, scopes) VALUES (:id, :t, :hash, :scopes)
                ON CONFLICT (app_id) DO UPDATE SET tenant_key = excluded.tenant_key, secret_hash = excluded.secret_hash,
                    scopes = excluded.scopes""")
                .bind("id", app.appId()).bind("t", app.tenantKey()).bind("hash", app.secretHash())
                .bind("scopes", String.join(" ", new TreeSet<>(app.scopes()))).execute();
    }

    @Override
    public boolean insertApp(App app) {
        return h.createUpdate("""
                INSERT INTO app (app_id, tenant_key, secret_hash, scopes) VALUES (:id, :t, :hash, :scopes)
                ON CONFLICT (app_id) DO NOTHING""")
                .bind("id", app.appId()).bind("t", app.tenantKey()).bind("hash", app.secretHash())
                .bind("scopes", String.join(" ", new TreeSet<>(app.scopes()))).execute() == 1;
    }

    @Override
    public Optional<App> app(String appId) {
        return h.createQuery("SELECT * FROM app WHERE app_id = :id").bind("id", appId).map((rs, c) -> app(rs)).findOne();
    }

    @Override
    public List<App> appsOf(String tenantKey) {
        return h.createQuery("SELECT * FROM app WHERE tenant_key = :t ORDER BY app_id").bind("t", tenantKey)
                .map((rs, c) -> app(rs)).list();
    }

    private static App app(ResultSet rs) throws SQLException {
        String scopes = rs.getString("scopes");
        return new App(rs.getString("app_id"), rs.getString("tenant_key"), rs.getString("secret_hash"),
                scopes.isEmpty() ? Set.of() : Set.of(scopes.split(" ")));
    }

    @Override
    public void deleteApp(String appId) {
        h.createUpdate("DELETE FROM app WHERE app_id = :id").bind("id", appId).execute();
    }

    @Override
    public void retireAppSecret(String appId, String tenantKey, String secretHash, long at) {
        h.createUpdate("""
                INSERT INTO retired_app_secret (app_id, tenant_key, secret_hash, retired_at) VALUES (:id, :t, :h, :at)
                ON CONFLICT (app_id, secret_hash) DO NOTHING""")
                .bind("id", appId).bind("t", tenantKey).bind("h", secretHash).bind("at", at).execute();
    }

    @Override
    public List<String> retiredAppSecrets(String appId) {
        return h.createQuery("SELECT secret_hash FROM retired_app_secret WHERE app_id = :id ORDER BY retired_at, secret_hash")
                .bind("id", appId).mapTo(String.class).list();
    }

    @Override
    public byte[] signingSecret(byte[] candidate) {
        h.createUpdate("INSERT INTO signing_secret (id, secret) VALUES (1, :s) ON CONFLICT (id) DO NOTHING")
                .bind("s", Base64.getEncoder().encodeToString(candidate)).execute();
        return Base64.getDecoder().decode(h.createQuery("SELECT secret FROM signing_secret WHERE id = 1")
                .mapTo(String.class).one());
    }

    @Override
    public void replaceSigningSecret(byte[] secret) {
        h.createUpdate("UPDATE signing_secret SET secret = :s WHERE id = 1")
                .bind("s", Base64.getEncoder().encodeToString(secret)).execute();
    }

    @Override
    public Map<String, String> rateLimits(String tenantKey) {
        Map<String, String> out = new TreeMap<>();
        h.createQuery("SELECT endpoint, limits FROM tenant_rate_limit WHERE tenant_key = :t").bind("t", tenantKey)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void replaceRateLimits(String tenantKey, Map<String, String> limits) {
        if (rateLimits(tenantKey).equals(new TreeMap<>(limits))) return;
        h.createUpdate("DELETE FROM tenant_rate_limit WHERE tenant_key = :t").bind("t", tenantKey).execute();
        for (Map.Entry<String, String> e : new TreeMap<>(limits).entrySet()) {
            h.createUpdate("INSERT INTO tenant_rate_limit (tenant_key, endpoint, limits) VALUES (:t, :e, :l)")
                    .bind("t", tenantKey).bind("e", e.getKey()).bind("l", e.getValue()).execute();
        }
    }
}
