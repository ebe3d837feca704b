package mailroom.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.TenantLifecycle;
import mailroom.directory.tenant.TenantLifecycle.TenantChange;
import mailroom.directory.tenant.TenantLifecycle.TenantView;
import mailroom.directory.tenant.Tenants;

/** Tenants: list, create with domains, show with usage, change by JSON merge patch, delete (empty, or forced). */
final class TenantsApi {
    private static final String[] LIMIT_FIELDS = {"public_mailboxes", "mail_groups", "mail_group_members",
        "aliases_per_address", "public_mailboxes_per_user", "user_mailboxes"};

    private final TenantLifecycle lifecycle;
    private final Tenants tenants;
    private final Set<String> rateLimitedRoutes;

    /** @param rateLimitedRoutes the routes a rate-limit override may name ("METHOD /path") */
    TenantsApi(TenantLifecycle lifecycle, Tenants tenants, Set<String> rateLimitedRoutes) {
        this.lifecycle = lifecycle;
        this.tenants = tenants;
        this.rateLimitedRoutes = Set.copyOf(rateLimitedRoutes);
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/tenants", Access.READ, Scope.SERVER, this::list);
        router.route(Method.POST, "/tenants", Access.WRITE, Scope.SERVER, this::create);
        router.route(Method.GET, "/tenants/{key}", Access.READ, Scope.TENANT,
                call -> Reply.ok(AdminViews.tenant(lifecycle.view(call.path("key")))));
        router.route(Method.PATCH, "/tenants/{key}", Access.WRITE, Scope.TENANT, this::update);
        router.route(Method.DELETE, "/tenants/{key}", Access.WRITE, Scope.TENANT, this::delete);
    }

    private Reply list(AdminCall call) {
        List<Tenant> all = new ArrayList<>(lifecycle.list());
        all.sort(Comparator.comparing(Tenant::key));
        return Reply.ok(call.page(all, Tenant::key, t -> AdminViews.tenantSummary(t, tenants.domains(t.key()))));
    }

    private Reply create(AdminCall call) {
        call.onlyFields("key", "name", "domains", "geo", "limits", "rate_limits", "hybridbox_account_id");
        String key = call.string("key", true);
        String name = call.string("name", false);
        List<String> domains = call.strings("domains", true);
        GeoPolicy geo = geo(call, call.object("geo"), GeoPolicy.NONE);
        Limits limits = limits(call, call.object("limits"), Limits.DEFAULTS);
        Map<String, String> rates = rateLimits(call, call.object("rate_limits"), Map.of());
        String accountId = call.string("hybridbox_account_id", false);
        call.requireValid();
        TenantView created = lifecycle.create(call.caller(key),
                new TenantLifecycle.NewTenant(key, name, domains, geo, limits, accountId, rates));
        return Reply.created(AdminRouter.ROOT + "/tenants/" + key, AdminViews.tenant(created));
    }

    /** JSON merge patch (RFC 7386): a member given replaces, null removes (for a rate-limit override), absent stays. */
    private Reply update(AdminCall call) {
        String key = call.path("key");
        TenantView current = lifecycle.view(key);
        call.onlyFields("name", "geo", "limits", "rate_limits");
        String name = call.string("name", false);
        if (call.body().has("name") && call.body().get("name").isNull()) call.error("name", "may not be removed");
        GeoPolicy geo = call.body().has("geo") ? geo(call, call.object("geo"), current.tenant().geo()) : null;
        Limits limits = call.body().has("limits") ? limits(call, call.object("limits"), current.tenant().limits()) : null;
        Map<String, String> rates = call.body().has("rate_limits")
                ? rateLimits(call, call.object("rate_limits"), current.rateLimits()) : null;
        call.requireValid();
        return Reply.ok(AdminViews.tenant(lifecycle.update(call.caller(key), key, new TenantChange(name, geo, limits, rates))));
    }

    private Reply delete(AdminCall call) {
        String key = call.path("key");
        lifecycle.delete(call.caller(key), key, call.flag("force"));
        return Reply.noContent();
    }

    /** The geo policy a create or patch asks for, over {@code base}; null (JSON null) turns multi-geo off. */
    private static GeoPolicy geo(AdminCall call, ObjectNode node, GeoPolicy base) {
        if (node == null) return call.body().has("geo") && call.body().get("geo").isNull() ? GeoPolicy.NONE : base;
        for (var it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!List.of("multi_geo", "allowed", "default").contains(f)) call.error("geo." + f, "unknown field (known: multi_geo, allowed, default)");
        }
        Boolean multi = call.bool(node, "multi_geo", "geo.multi_geo");
        List<String> allowed = base.allowed();
        JsonNode list = node.get("allowed");
        if (list != null) {
            allowed = new ArrayList<>();
            if (!list.isArray()) {
                call.error("geo.allowed", "must be a list of strings");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).isTextual()) allowed.add(list.get(i).asText());
                    else call.error("geo.allowed[" + i + "]", "must be a string");
                }
            }
        }
        String defaultGeo = base.defaultGeo();
        if (node.has("default")) {
            JsonNode given = node.get("default");
            if (!given.isTextual() && !given.isNull()) call.error("geo.default", "must be a string");
            defaultGeo = given.isTextual() ? given.asText() : null;
        }
        boolean on = multi != null ? multi : base.multiGeo();
        if (on && defaultGeo == null && !allowed.isEmpty()) defaultGeo = allowed.get(0);
        return new GeoPolicy(on, List.copyOf(allowed), on ? defaultGeo : null);
    }

    /** The limits asked for over {@code base}: each given limit replaces its value. */
    private static Limits limits(AdminCall call, ObjectNode node, Limits base) {
        if (node == null) return base;
        int[] v = {base.publicMailboxes(), base.mailGroups(), base.mailGroupMembers(), base.aliasesPerAddress(),
            base.publicMailboxesPerUser(), base.userMailboxes()};
        List<String> known = List.of(LIMIT_FIELDS);
        for (var it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) call.error("limits." + f, "unknown limit (known: " + String.join(", ", known) + ")");
        }
        for (int i = 0; i < LIMIT_FIELDS.length; i++) {
            Integer given = call.integer(node, LIMIT_FIELDS[i], "limits." + LIMIT_FIELDS[i]);
            if (given != null) v[i] = given;
        }
        return new Limits(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /** Rate-limit overrides merged into {@code base}: a route given a quota is set, a route given null is removed. */
    private Map<String, String> rateLimits(AdminCall call, ObjectNode node, Map<String, String> base) {
        Map<String, String> out = new TreeMap<>(base);
        if (node == null) return call.body().has("rate_limits") && call.body().get("rate_limits").isNull() ? Map.of() : out;
        for (var it = node.fields(); it.hasNext();) {
            var e = it.next();
            String field = "rate_limits." + e.getKey();
            if (!rateLimitedRoutes.contains(e.getKey())) {
                call.error(field, "not a Feishu route (write it like \"POST /open-apis/mail/v1/public_mailboxes\")");
            } else if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else if (!e.getValue().isTextual()) {
                call.error(field, "must be a quota like \"5/s\" or \"100/min & 10/s\", or null to remove it");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }
}
