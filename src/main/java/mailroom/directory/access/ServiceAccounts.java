package mailroom.directory.access;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;

/**
 * Service accounts: bearer tokens with capabilities, stored only as hashes, shown once at
 * creation and rotation, optionally expiring, revocable. A token is checked against the database on
 * every request, so revocation takes effect at once on every node.
 */
public final class ServiceAccounts {
    /** Every capability a service account can hold, in the order the docs list them. */
    public static final List<String> CAPABILITIES = List.of("mailbox.view", "mailbox.create", "mailbox.update",
            "mailbox.delete", "mailbox.alias.manage", "domain.view", "account.view", "service_account.manage");
    public static final String TOKEN_SCHEME = "hbx_sa_";
    public static final int MAX_NAME_LENGTH = Text.SERVICE_ACCOUNT_NAME;
    /** The latest expiry, in epoch millis: the last millisecond of year 9999 UTC (RFC 3339 has four-digit years). */
    public static final long MAX_EXPIRES_AT = 253_402_300_799_999L;
    /** last_used_at is only rewritten when older than this, so that reads stay reads. */
    static final long TOUCH_EVERY_MILLIS = 60_000;

    private final DirectoryStore store;
    private final Clock clock;

    public ServiceAccounts(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Who a valid token speaks for: which account, with which capabilities. */
    public record Principal(String serviceAccountId, String tenantKey, String accountId, Set<String> permissions) {
        public boolean can(String capability) {
            return permissions.contains(capability);
        }
    }

    /** A service account and its plaintext token, which exists only in this answer. */
    public record Issued(ServiceAccount account, String token) {}

    /** The principal of a token that is known, not revoked and not expired; empty otherwise. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        String hash = Secrets.hashToken(token);
        long now = clock.millis();
        record Found(ServiceAccount account, Tenant tenant) {}
        Optional<Found> found = store.read(r -> r.serviceAccounts().byTokenHash(hash)
                .flatMap(sa -> r.tenants().tenant(sa.tenantKey()).map(t -> new Found(sa, t))));
        if (found.isEmpty()) return Optional.empty();
        ServiceAccount sa = found.get().account();
        Tenant tenant = found.get().tenant();
        if (sa.revokedAt() != null || (sa.expiresAt() != null && sa.expiresAt() <= now)
                || tenant.accountId() == null) {
            return Optional.empty();
        }
        if (sa.lastUsedAt() == null || now - sa.lastUsedAt() >= TOUCH_EVERY_MILLIS) {
            // Only its own row changes and nothing is resolved: no tenant lock, so that a GET never
            // queues behind a long tenant write (a 1000-item bulk create) on PostgreSQL.
            store.write(r -> {
                r.serviceAccounts().touch(sa.id(), now);
                return null;
            });
        }
        return Optional.of(new Principal(sa.id(), tenant.key(), tenant.accountId(), Set.copyOf(sa.permissions())));
    }

    /** Oldest first; accounts seeded together (same instant) in name order, so listings are stable. */
    public List<ServiceAccount> list(Caller caller, boolean includeRevoked) {
        return store.read(r -> {
            Tenants.require(r, caller.tenantKey());
            return r.serviceAccounts().list(caller.tenantKey(), includeRevoked);
        }).stream()
                .sorted(Comparator.comparingLong(ServiceAccount::createdAt).thenComparing(ServiceAccount::name)
                        .thenComparing(ServiceAccount::id)).toList();
    }

    /**
     * Creates a service account. Without permissions it gets exactly the creator's; it may never get a
     * capability the creator does not hold, so a token cannot mint a stronger one. Names are unique among
     * the account's unrevoked service accounts (the seed finds its accounts by name). A tenant without an
     * account id gets none: a token of one could never be used ({@link #authenticate} needs the account).
     */
    public Issued create(Caller caller, Set<String> creatorPermissions, String name, Long expiresAt,
                         List<String> permissions) {
        String tenantKey = caller.tenantKey();
        long now = clock.millis();
        requireName(name, "name");
        if (expiresAt != null && expiresAt <= now) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "expires_at must be in the future", "expires_at");
        }
        if (expiresAt != null && expiresAt > MAX_EXPIRES_AT) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "expires_at must be in year 9999 or before",
                    "expires_at");
        }
        List<String> granted = permissions == null
                ? CAPABILITIES.stream().filter(creatorPermissions::contains).toList() : grantable(permissions, creatorPermissions);
        return store.writeTenant(tenantKey, r -> {
            requireAccount(Tenants.require(r, tenantKey));
            if (r.serviceAccounts().byName(tenantKey, name).isPresent()) {
                throw new DirectoryException(Reason.SERVICE_ACCOUNT_NAME_TAKEN,
                        "A service account named " + name + " already exists");
            }
            String id = Ids.uuid();
            String token = newToken();
            ServiceAccount account = new ServiceAccount(id, tenantKey, name, Secrets.hashToken(token),
                    Tenants.tokenPrefix(token), Tenants.last4(token), publicIdOf(token), granted, now, now, expiresAt,
                    null, null);
            r.serviceAccounts().upsert(account);
            Journal.created(r, caller, now, Change.ObjectKind.SERVICE_ACCOUNT, id, States.serviceAccount(account));
            return new Issued(account, token);
        });
    }

    /**
     * Replaces the token; the old one stops working at once. A revoked account stays revoked. The caller
     * must hold every capability of the account (see {@link #requireHeldBy}): rotating answers the new
     * plaintext token, so rotating a stronger account would hand the caller its capabilities.
     */
    public Issued rotate(Caller caller, Set<String> callerPermissions, String id) {
        long now = clock.millis();
        return store.writeTenant(caller.tenantKey(), r -> {
            ServiceAccount current = require(r, caller.tenantKey(), id);
            requireHeldBy(current, callerPermissions, "rotate");
            if (current.revokedAt() != null) {
                throw new DirectoryException(Reason.SERVICE_ACCOUNT_REVOKED, "Service account is revoked");
            }
            String token = newToken();
            ServiceAccount rotated = current.withToken(Secrets.hashToken(token), Tenants.tokenPrefix(token),
                    Tenants.last4(token), publicIdOf(token), now);
            r.serviceAccounts().upsert(rotated);
            r.serviceAccounts().retireToken(current.tokenHash(), current.id(), now);
            // The new token's public id tells readers a rotation happened; the token itself never appears.
            Journal.updated(r, caller, now, Change.ObjectKind.SERVICE_ACCOUNT, current.id(),
                    States.serviceAccount(current), States.serviceAccount(rotated));
            return new Issued(rotated, token);
        });
    }

    /**
     * Revokes for good; revoking again answers the account as it is. Like rotation, only by a caller that
     * holds every capability of the account, so a weaker token cannot lock a stronger one out.
     */
    public ServiceAccount revoke(Caller caller, Set<String> callerPermissions, String id) {
        long now = clock.millis();
        return store.writeTenant(caller.tenantKey(), r -> {
            ServiceAccount current = require(r, caller.tenantKey(), id);
            requireHeldBy(current, callerPermissions, "revoke");
            if (current.revokedAt() != null) return current;
            ServiceAccount revoked = current.revokedAt(now);
            r.serviceAccounts().upsert(revoked);
            Journal.updated(r, caller, now, Change.ObjectKind.SERVICE_ACCOUNT, current.id(),
                    States.serviceAccount(current), States.serviceAccount(revoked));
            return revoked;
        });
    }

    /** A service account's name: 1-120 characters, not blank. */
    public static String requireName(String name, String field) {
        if (name == null || name.isBlank() || Text.length(name) > MAX_NAME_LENGTH) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT,
                    "name must be 1-" + MAX_NAME_LENGTH + " characters and not blank", field);
        }
        return name;
    }

    /** Each capability one of {@link #CAPABILITIES}; refused naming the first unknown one. */
    public static void requireCapabilities(List<String> permissions, String field) {
        for (String p : permissions) {
            if (!CAPABILITIES.contains(p)) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "unknown capability " + p, field);
            }
        }
    }

    /** Refuses a tenant without an account id: its service accounts' tokens could never be used. */
    public static void requireAccount(Tenant tenant) {
        if (tenant.accountId() == null) {
            throw new DirectoryException(Reason.ACCOUNT_ID_MISSING, "tenant " + tenant.key() + " has no account id, without"
                    + " which a service-account token cannot be used (the account id is given when the tenant is created)");
        }
    }

    private static List<String> grantable(List<String> requested, Set<String> creatorPermissions) {
        requireCapabilities(requested, "permissions");
        for (String p : requested) {
            if (!creatorPermissions.contains(p)) {
                throw new DirectoryException(Reason.PERMISSION_NOT_HELD,
                        "Cannot grant capability " + p + " that the caller does not hold");
            }
        }
        return CAPABILITIES.stream().filter(requested::contains).toList();
    }

    /**
     * Refuses (PERMISSION_NOT_HELD) unless the account's capabilities are a subset of the caller's. An
     * account may therefore always rotate or revoke itself, and any account with no capabilities.
     */
    private static void requireHeldBy(ServiceAccount target, Set<String> callerPermissions, String action) {
        // In the documented order, so the answer names the same capability every time; unknown ones last.
        List<String> held = target.permissions().stream().sorted(Comparator.comparingInt(
                p -> CAPABILITIES.contains(p) ? CAPABILITIES.indexOf(p) : CAPABILITIES.size())).toList();
        for (String p : held) {
            if (!callerPermissions.contains(p)) {
                throw new DirectoryException(Reason.PERMISSION_NOT_HELD, "Cannot " + action
                        + " a service account holding capability " + p + " that the caller does not hold");
            }
        }
    }

    private static ServiceAccount require(Records r, String tenantKey, String id) {
        return r.serviceAccounts().byId(tenantKey, id == null ? "" : id.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new DirectoryException(Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found"));
    }

    /** hbx_sa_{public id}_{secret}: the public id lets people tell tokens apart without the secret. */
    private static String newToken() {
        return TOKEN_SCHEME + Ids.randomShortId().substring(0, 12) + "_" + Secrets.randomToken(24);
    }

    private static String publicIdOf(String token) {
        return token.substring(TOKEN_SCHEME.length(), TOKEN_SCHEME.length() + 12);
    }
}
