package mailroom.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.access.App;
import mailroom.directory.access.OperatorToken;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.TenantLifecycle;
import mailroom.directory.tenant.Users;

/** The operator door's JSON shapes of directory objects: snake_case, times as RFC 3339, absent rather than null. */
final class AdminViews {
    private AdminViews() {}

    /** A page of a listing: {@code {"items": [...], "next_cursor": "..."}}, the cursor absent on the last page. */
    record Listing(List<Object> items, @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor) {}

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    static Map<String, Object> tenantSummary(Tenant t, List<Domain> domains) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", t.key());
        out.put("name", t.name());
        out.put("domains", domains.stream().map(Domain::name).toList());
        if (t.accountId() != null) out.put("hybridbox_account_id", t.accountId());
        out.put("created_at", time(t.createdAt()));
        out.put("updated_at", time(t.updatedAt()));
        return out;
    }

    static Map<String, Object> tenant(TenantLifecycle.TenantView v) {
        Map<String, Object> out = tenantSummary(v.tenant(), v.domains());
        out.put("geo", geo(v.tenant().geo()));
        out.put("limits", limits(v.tenant().limits()));
        out.put("rate_limits", v.rateLimits());
        out.put("usage", v.usage().asMap());
        return out;
    }

    static Map<String, Object> geo(GeoPolicy g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("multi_geo", g.multiGeo());
        out.put("allowed", g.allowed());
        if (g.defaultGeo() != null) out.put("default", g.defaultGeo());
        return out;
    }

    static Map<String, Object> limits(Limits l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("public_mailboxes", l.publicMailboxes());
        out.put("mail_groups", l.mailGroups());
        out.put("mail_group_members", l.mailGroupMembers());
        out.put("aliases_per_address", l.aliasesPerAddress());
        out.put("public_mailboxes_per_user", l.publicMailboxesPerUser());
        out.put("user_mailboxes", l.userMailboxes());
        return out;
    }

    static Map<String, Object> domain(Domain d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", d.name());
        out.put("id", d.id());
        out.put("created_at", time(d.createdAt()));
        return out;
    }

    /** An app without its secret, which only create and rotate-secret answer ({@code app_secret}). */
    static Map<String, Object> app(App a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app_id", a.appId());
        out.put("scopes", a.scopes().stream().sorted().toList());
        return out;
    }

    /** A service account without its token, which only create answers ({@code token}). */
    static Map<String, Object> serviceAccount(ServiceAccount s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("name", s.name());
        out.put("permissions", s.permissions());
        out.put("token_prefix", s.tokenPrefix());
        out.put("token_last4", s.tokenLast4());
        out.put("token_public_id", s.tokenPublicId());
        out.put("created_at", time(s.createdAt()));
        out.put("updated_at", time(s.updatedAt()));
        if (s.expiresAt() != null) out.put("expires_at", time(s.expiresAt()));
        if (s.lastUsedAt() != null) out.put("last_used_at", time(s.lastUsedAt()));
        if (s.revokedAt() != null) out.put("revoked_at", time(s.revokedAt()));
        return out;
    }

    /** A department; {@code parent} is null at the top level. */
    static Map<String, Object> department(Department d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("department_id", d.departmentId());
        out.put("open_department_id", d.openDepartmentId());
        out.put("name", d.name());
        out.put("parent", d.parentDepartmentId());
        return out;
    }

    static Map<String, Object> operatorToken(OperatorToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("role", t.role().wire());
        out.put("tenant", t.tenantKey());
        out.put("created_at", time(t.createdAt()));
        if (t.revokedAt() != null) out.put("revoked_at", time(t.revokedAt()));
        return out;
    }

    /** A user: its ids, name, departments, and its mailbox ({@code email} and {@code mailbox} null without one). */
    static Map<String, Object> user(Users.UserView v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", v.user().userId());
        out.put("open_id", v.user().openId());
        out.put("union_id", v.user().unionId());
        out.put("name", v.user().name());
        out.put("email", v.email());
        out.put("departments", v.departments());
        Map<String, Object> mailbox = null;
        if (v.mailbox() != null) {
            mailbox = new LinkedHashMap<>();
            mailbox.put("id", v.mailbox().id());
            mailbox.put("status", lower(v.mailbox().status().name()));
        }
        out.put("mailbox", mailbox);
        return out;
    }

    /** Who owns an address, one shape for every kind of owner ({@code user_id} null unless it is a user's mailbox). */
    static Map<String, Object> ownership(AddressLookup.Ownership o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", o.address());
        out.put("owner_kind", lower(o.ownerKind().name()));
        out.put("owner_id", o.ownerId());
        out.put("status", lower(o.status().name()));
        out.put("primary_address", o.primaryAddress());
        out.put("alias", o.alias());
        out.put("catch_all", o.catchAll());
        out.put("user_id", o.userId());
        return out;
    }

    private static String lower(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
