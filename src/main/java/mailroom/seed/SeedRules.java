package mailroom.seed;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mailroom.api.feishu.FeishuDoor;
import mailroom.directory.DirectoryException;
import mailroom.directory.Text;
import mailroom.directory.access.Apps;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.address.Address;
import mailroom.directory.tenant.RateQuota;

/**
 * What a seed file may say beyond its shape: required fields, addresses in the tenant's own domains, no
 * duplicates, references that resolve, and only the scopes, capabilities and routes the doors know. The server
 * checks every seed with these rules before it opens the store, and {@code mailroom check-seed} with the same
 * rules, so that a seed check-seed passes is one {@code serve --seed} accepts.
 */
public final class SeedRules {
    /** One broken rule: where in the file (a field path like {@code tenants[0].users[2].email}) and what. */
    public record Problem(String path, String message, boolean atKey) {
        public Problem(String path, String message) {
            this(path, message, false);
        }
    }

    static final String REQUIRED = "required field missing";
    static final String EMPTY_ENTRY = "empty entry";

    private final Set<String> routes;
    private final Set<String> scopes;
    private final List<String> permissions;

    public SeedRules(Collection<String> routes, Collection<String> scopes, Collection<String> permissions) {
        this.routes = Set.copyOf(routes);
        this.scopes = Set.copyOf(scopes);
        this.permissions = List.copyOf(permissions);
    }

    /** The rules with the doors' own vocabulary: Feishu's routes and scopes, Hybridbox's capabilities. */
    public static SeedRules standard() {
        return Standard.RULES;
    }

    /** Built once, on first use. */
    private static final class Standard {
        static final SeedRules RULES = new SeedRules(FeishuDoor.routeNames(), FeishuDoor.scopeNames(), ServiceAccounts.CAPABILITIES);
    }

    /**
     * As {@link #check}, for a start-up: throws IllegalArgumentException naming the first problem, its tenant
     * and how many more there are.
     */
    public void requireValid(SeedFile seed) {
        List<Problem> problems = check(seed);
        if (problems.isEmpty()) return;
        Problem first = problems.get(0);
        String more = problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more)";
        throw new IllegalArgumentException(inTenant(seed, first.path()) + ": " + first.message() + more);
    }

    /** "tenants[1] (acme): users[0].email" for "tenants[1].users[0].email": a start-up line names the tenant. */
    private static String inTenant(SeedFile seed, String path) {
        if (!path.startsWith("tenants[")) return path;
        int close = path.indexOf(']');
        int index = Integer.parseInt(path.substring("tenants[".length(), close));
        SeedFile.TenantSeed t = index < seed.tenants().size() ? seed.tenants().get(index) : null;
        String tenant = path.substring(0, close + 1) + (t == null || t.key() == null || t.key().isBlank() ? "" : " (" + t.key() + ")");
        String rest = path.substring(close + 1);
        return rest.isEmpty() ? tenant : tenant + ": " + (rest.startsWith(".") ? rest.substring(1) : rest);
    }

    /** Every problem, in the order of the file. */
    public List<Problem> check(SeedFile seed) {
        Check c = new Check();
        if (seed.tenants() == null) {
            c.problem("tenants", REQUIRED);
            return c.problems;
        }
        for (int i = 0; i < seed.tenants().size(); i++) {
            SeedFile.TenantSeed t = seed.tenants().get(i);
            if (t == null) {
                c.problem("tenants[" + i + "]", EMPTY_ENTRY);
            } else {
                tenant(c, "tenants[" + i + "]", t);
            }
        }
        return c.problems;
    }

    /** The problems found so far, and what the whole file has claimed (tenant keys, app ids, domains, ...). */
    private static final class Check {
        final List<Problem> problems = new ArrayList<>();
        final Map<String, Map<String, String>> firstSeen = new HashMap<>();

        void problem(String path, String message) {
            problems.add(new Problem(path, message));
        }

        /** False (and a problem) when {@code value} was already claimed in {@code space}. */
        boolean unique(String space, String what, String value, String path) {
            return uniqueShown(space, what + " " + value, value, path);
        }

        /** As {@link #unique}, naming the value as {@code shown} (a secret is not printed). */
        boolean uniqueShown(String space, String shown, String value, String path) {
            String first = firstSeen.computeIfAbsent(space, k -> new HashMap<>()).putIfAbsent(value, path);
            if (first == null) return true;
            problem(path, "duplicate " + shown + " (first at " + first + ")");
            return false;
        }
    }

    private void tenant(Check c, String at, SeedFile.TenantSeed t) {
        String key = t.key();
        if (blank(key)) {
            c.problem(at + ".key", REQUIRED);
        } else if (atMost(c, at + ".key", key, Text.CHOSEN_ID)) {
            c.unique("tenant", "tenant key", key, at + ".key");
        }
        atMost(c, at + ".name", t.name(), Text.TENANT_NAME);
        String scope = "tenant " + at + ":";
        Set<String> domains = new LinkedHashSet<>();
        forEach(c, at + ".domains", t.domains(), (name, path) -> {
            if (!name.equals(name.trim().toLowerCase(Locale.ROOT)) && Address.isDomain(name.trim().toLowerCase(Locale.ROOT))) {
                c.problem(path, "write the domain in lower case, without spaces: " + name.trim().toLowerCase(Locale.ROOT));
            } else if (!Address.isDomain(name)) {
                c.problem(path, "not a valid domain name");
            } else if (c.unique("domain", "domain", name, path)) {
                domains.add(name);
            }
        });
        geo(c, at + ".geo", t.geo());
        limits(c, at + ".limits", t.limits());
        forEach(c, at + ".apps", t.apps(), (app, path) -> {
            if (blank(app.appId())) {
                c.problem(path + ".app_id", REQUIRED);
            } else if (atMost(c, path + ".app_id", app.appId(), Text.CHOSEN_ID)) {
                c.unique("app", "app id", app.appId(), path + ".app_id");
            }
            if (blank(app.appSecret())) c.problem(path + ".app_secret", REQUIRED);
            scopes(c, path + ".scopes", app.scopes());
        });
        Set<String> departments = new LinkedHashSet<>();
        for (SeedFile.DepartmentSeed d : t.departments() == null ? List.<SeedFile.DepartmentSeed>of() : t.departments()) {
            if (d != null && !blank(d.departmentId())) departments.add(d.departmentId());
        }
        forEach(c, at + ".departments", t.departments(), (d, path) -> {
            if (blank(d.departmentId())) {
                c.problem(path + ".department_id", REQUIRED);
                return;
            }
            atMost(c, path + ".name", d.name(), Text.DEPARTMENT_NAME);
            if (!atMost(c, path + ".department_id", d.departmentId(), Text.CHOSEN_ID)
                    | !atMost(c, path + ".open_department_id", d.openDepartmentId(), Text.CHOSEN_ID)) {
                return;
            }
            boolean unique = c.unique(scope + "department", "department id", d.departmentId(), path + ".department_id");
            if (unique || d.openDepartmentId() != null) {
                c.unique(scope + "open department", "open department id", Seeder.openDepartmentId(d),
                        path + (d.openDepartmentId() == null ? ".department_id" : ".open_department_id"));
            }
            if (d.parent() != null && d.parent().equals(d.departmentId())) {
                c.problem(path + ".parent", "a department cannot be its own parent");
            } else if (d.parent() != null && !departments.contains(d.parent())) {
                c.problem(path + ".parent", "no department " + d.parent() + " in this tenant");
            }
        });
        forEach(c, at + ".users", t.users(), (u, path) -> user(c, path, scope, u, domains, departments));
        if (t.hybridbox() != null) {
            String hbx = at + ".hybridbox";
            if (t.hybridbox().accountId() != null) {
                c.unique("hybridbox account", "Hybridbox account id", t.hybridbox().accountId(), hbx + ".account_id");
            }
            forEach(c, hbx + ".service_accounts", t.hybridbox().serviceAccounts(), (sa, path) -> {
                if (blank(sa.name())) {
                    c.problem(path + ".name", REQUIRED);
                } else if (atMost(c, path + ".name", sa.name(), Text.SERVICE_ACCOUNT_NAME)) {
                    c.unique(scope + "service account", "service account name", sa.name(), path + ".name");
                }
                if (blank(sa.token())) {
                    c.problem(path + ".token", REQUIRED);
                } else {
                    c.uniqueShown("token", "service account token", sa.token(), path + ".token");
                }
                forEach(c, path + ".permissions", sa.permissions(), (p, pp) -> {
                    if (!permissions.contains(p)) {
                        c.problem(pp, "unknown permission " + p + " (known: " + String.join(", ", permissions) + ")");
                    }
                });
            });
        }
        if (t.rateLimits() != null) {
            t.rateLimits().forEach((route, quota) -> {
                String path = at + ".rate_limits" + SeedCheck.keySegment(route);
                if (!routes.contains(route)) {
                    c.problems.add(new Problem(path, "not a Feishu route (write it like \"POST /open-apis/mail/v1/public_mailboxes\")", true));
                } else if (quota == null) {
                    c.problem(path, REQUIRED);
                } else {
                    try {
                        RateQuota.parse(quota);
                    } catch (DirectoryException e) {
                        c.problem(path, e.getMessage());
                    }
                }
            });
        }
    }

    private void user(Check c, String path, String scope, SeedFile.UserSeed u, Set<String> domains, Set<String> departments) {
        atMost(c, path + ".name", u.name(), Text.USER_NAME);
        if (blank(u.userId())) {
            c.problem(path + ".user_id", REQUIRED);
        } else if (ids(c, path, u)) {
            // An open or union id made from a duplicate user id is a duplicate too: the one problem is said once.
            boolean unique = c.unique(scope + "user", "user id", u.userId(), path + ".user_id");
            if (unique || u.openId() != null) {
                c.unique(scope + "open id", "open id", Seeder.openId(u), path + (u.openId() == null ? ".user_id" : ".open_id"));
            }
            if (unique || u.unionId() != null) {
                c.unique(scope + "union id", "union id", Seeder.unionId(u), path + (u.unionId() == null ? ".user_id" : ".union_id"));
            }
        }
        if (u.email() != null) {
            Address address = null;
            try {
                address = Address.parse(u.email(), "email");
            } catch (DirectoryException e) {
                c.problem(path + ".email", "not a valid address");
            }
            if (address != null && !domains.contains(address.domain())) {
                c.problem(path + ".email", "domain " + address.domain() + " is not a domain of this tenant"
                        + (domains.isEmpty() ? " (it has none)" : " (" + String.join(", ", domains) + ")"));
            } else if (address != null) {
                c.unique("email", "email", address.toString(), path + ".email");
            }
        }
        forEach(c, path + ".departments", u.departments(), (d, p) -> {
            if (!departments.contains(d)) c.problem(p, "no department " + d + " in this tenant");
        });
    }

    /**
     * Each scope as the directory takes an app's scopes ({@link Apps#requireScopes}, which the admin API applies
     * too), every wrong one reported rather than the first.
     */
    private void scopes(Check c, String at, List<String> given) {
        if (given == null) return;
        if (given.size() > Apps.MAX_SCOPES) c.problem(at, "at most " + Apps.MAX_SCOPES + " scopes");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String scope = given.get(i);
            String path = at + "[" + i + "]";
            try {
                Apps.requireScopes(java.util.Collections.singletonList(scope), scopes, path);
                if (!seen.add(scope)) c.problem(path, "scope " + scope + " is named twice");
            } catch (DirectoryException e) {
                c.problem(path, e.getMessage());
            }
        }
    }

    /** Within {@link Text}'s maximum, as the directory requires of a seed; a problem (and false) otherwise. */
    private static boolean atMost(Check c, String path, String value, int max) {
        if (value == null || Text.length(value) <= max) return true;
        c.problem(path, "must be at most " + max + " characters");
        return false;
    }

    /** The user's ids within their maximum, the open and union ids made from the user id included. */
    private static boolean ids(Check c, String path, SeedFile.UserSeed u) {
        boolean fit = atMost(c, path + ".user_id", u.userId(), Text.CHOSEN_ID);
        fit &= atMost(c, path + ".open_id", u.openId(), Text.CHOSEN_ID);
        fit &= atMost(c, path + ".union_id", u.unionId(), Text.CHOSEN_ID);
        if (fit && (Text.length(Seeder.openId(u)) > Text.CHOSEN_ID || Text.length(Seeder.unionId(u)) > Text.CHOSEN_ID)) {
            c.problem(path + ".user_id", "must be at most " + (Text.CHOSEN_ID - 3) + " characters when open_id or union_id is not given"
                    + " (they are made from it: ou_..., on_...)");
            return false;
        }
        return fit;
    }

    private static void geo(Check c, String at, SeedFile.GeoSeed geo) {
        if (geo == null || !Boolean.TRUE.equals(geo.multiGeo())) return;
        forEach(c, at + ".allowed", geo.allowed(), (g, p) -> { });
        if (geo.defaultGeo() != null && geo.allowed() != null && !geo.allowed().contains(geo.defaultGeo())) {
            c.problem(at + ".default_geo", "not one of allowed (" + String.join(", ", geo.allowed().stream().map(String::valueOf).toList()) + ")");
        }
    }

    private static void limits(Check c, String at, SeedFile.LimitsSeed limits) {
        if (limits == null) return;
        for (RecordComponent component : SeedFile.LimitsSeed.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(limits);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Integer n && n < 0) c.problem(at + "." + SeedCheck.snake(component.getName()), "must not be negative");
        }
    }

    /** Each entry of an optional list with its path; an empty (null) entry is a problem of its own. */
    private static <T> void forEach(Check c, String at, List<T> values, java.util.function.BiConsumer<T, String> each) {
        for (int i = 0; values != null && i < values.size(); i++) {
            String path = at + "[" + i + "]";
            if (values.get(i) == null) {
                c.problem(path, EMPTY_ENTRY);
            } else {
                each.accept(values.get(i), path);
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
