package mailroom.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.access.OperatorToken;
import mailroom.directory.tenant.Domain;
import mailroom.directory.tenant.GeoPolicy;
import mailroom.directory.tenant.Limits;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.TenantLifecycle;

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
}
