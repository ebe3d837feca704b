package mailroom.directory.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.mailbox.UserMailbox;

/**
 * A tenant seen as an account: an account with one client, one default workspace and the tenant's
 * domains. Mailroom has no workspaces or clients of its own, so their ids are derived from the account id:
 * stable across restarts and nodes without storing anything.
 */
public final class Accounts {
    /** The name of every account's one workspace. */
    public static final String WORKSPACE_NAME = "Default";

    private final DirectoryStore store;

    public Accounts(DirectoryStore store) {
        this.store = store;
    }

    public record Workspace(String id, String name) {}

    public record Account(Tenant tenant, String clientId, Workspace workspace) {}

    /** A domain with its workspace and, on a single get, its mailboxes in service (null in listings). */
    public record DomainView(Domain domain, Workspace workspace, List<UserMailbox> mailboxes) {}

    /** One page of a listing and the number of rows matching in all. */
    public record Slice<T>(List<T> items, long total) {}

    public static Workspace workspaceOf(Tenant tenant) {
        return new Workspace(derivedUuid("workspace:" + tenant.accountId()), WORKSPACE_NAME);
    }

    public Account account(Caller caller) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> {
            Tenant tenant = Tenants.require(r, tenantKey);
            return new Account(tenant, derivedUuid("client:" + tenant.accountId()), workspaceOf(tenant));
        });
    }

    /** The tenant's domains in creation order, one page of them. */
    public Slice<DomainView> domains(Caller caller, int page, int pageSize) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> {
            Workspace workspace = workspaceOf(Tenants.require(r, tenantKey));
            List<Domain> all = r.tenants().domainsOf(tenantKey);
            long from = Math.min((long) (page - 1) * pageSize, all.size());
            List<DomainView> items = all.subList((int) from, (int) Math.min(from + pageSize, all.size())).stream()
                    .map(d -> new DomainView(d, workspace, null)).toList();
            return new Slice<>(items, all.size());
        });
    }

    public DomainView domain(Caller caller, String idOrName) {
        String tenantKey = caller.tenantKey();
        return store.read(r -> {
            Workspace workspace = workspaceOf(Tenants.require(r, tenantKey));
            Domain domain = requireDomain(r, tenantKey, idOrName);
            return new DomainView(domain, workspace, r.mailboxes().list(tenantKey, domain.id(), null, 0, Integer.MAX_VALUE));
        });
    }

    /** The tenant's domain named by UUID or by name; another tenant's domain is as unknown as a missing one. */
    public static Domain requireDomain(Records r, String tenantKey, String idOrName) {
        String ref = idOrName == null ? "" : idOrName.trim();
        var found = isUuid(ref) ? r.tenants().domainById(ref.toLowerCase(Locale.ROOT))
                : r.tenants().domainByName(ref.toLowerCase(Locale.ROOT));
        return found.filter(d -> d.tenantKey().equals(tenantKey))
                .orElseThrow(() -> new DirectoryException(Reason.DOMAIN_NOT_FOUND, "Domain not found"));
    }

    public static boolean isUuid(String value) {
        if (value == null || value.length() != 36) return false;
        try {
            UUID.fromString(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A UUID derived from a name, shaped as version 4 so that clients validating uuid4 accept it. */
    static String derivedUuid(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("mailroom:" + name).getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x40);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) msb = (msb << 8) | (h[i] & 0xff);
            for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (h[i] & 0xff);
            return new UUID(msb, lsb).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
