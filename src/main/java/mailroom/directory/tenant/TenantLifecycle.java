package mailroom.directory.tenant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.address.Address;
import mailroom.directory.address.AddressKind;

/**
 * Tenants created, changed and deleted while the server runs: what a seed file does at start-up, as
 * operations any door can call. A tenant's own data (users, mailboxes, groups) is the other aggregates'.
 */
public final class TenantLifecycle {
    /** Tenant keys: what a URL path segment, a CLI argument and a log line all carry without quoting. */
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final int MAX_NAME_LENGTH = Text.TENANT_NAME;
    public static final int MAX_LIMIT = 10_000_000;

    private final DirectoryStore store;
    private final Clock clock;

    public TenantLifecycle(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new tenant as asked for; null geo, limits and rate limits mean none, the defaults and none. */
    public record NewTenant(String key, String name, List<String> domains, GeoPolicy geo, Limits limits, String accountId,
                            Map<String, String> rateLimits) {
        public NewTenant(String key, String name, List<String> domains, GeoPolicy geo, Limits limits, String accountId) {
            this(key, name, domains, geo, limits, accountId, null);
        }
    }

    /** What may change of a tenant; a null field stays as it is. */
    public record TenantChange(String name, GeoPolicy geo, Limits limits, Map<String, String> rateLimits) {}

    /** How much a tenant holds, by kind, as its limits and an operator count it. */
    public record Usage(long users, long departments, long userMailboxes, long publicMailboxes, long mailGroups,
                        long addresses, long apps, long serviceAccounts) {
        public boolean empty() {
            return users == 0 && departments == 0 && userMailboxes == 0 && publicMailboxes == 0 && mailGroups == 0
                    && addresses == 0;
        }

        public Map<String, Long> asMap() {
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("users", users);
            out.put("departments", departments);
            out.put("user_mailboxes", userMailboxes);
            out.put("public_mailboxes", publicMailboxes);
            out.put("mail_groups", mailGroups);
            out.put("addresses", addresses);
            out.put("apps", apps);
            out.put("service_accounts", serviceAccounts);
            return out;
        }
    }

    /** A tenant with what an operator looks at: its domains, rate-limit overrides and usage. */
    public record TenantView(Tenant tenant, List<Domain> domains, Map<String, String> rateLimits, Usage usage) {}

    public List<Tenant> list() {
        return store.read(r -> r.tenants().allTenants());
    }

    public TenantView view(String key) {
        return store.read(r -> view(r, Tenants.require(r, key)));
    }

    private static TenantView view(Records r, Tenant t) {
        return new TenantView(t, r.tenants().domainsOf(t.key()), new TreeMap<>(r.tenants().rateLimits(t.key())),
                usage(r, t.key()));
    }

    private static Usage usage(Records r, String key) {
        Map<String, Long> c = r.tenants().usage(key);
        return new Usage(c.getOrDefault("users", 0L), c.getOrDefault("departments", 0L),
                c.getOrDefault("user_mailboxes", 0L), c.getOrDefault("public_mailboxes", 0L),
                c.getOrDefault("mail_groups", 0L), c.getOrDefault("addresses", 0L), c.getOrDefault("apps", 0L),
                c.getOrDefault("service_accounts", 0L));
    }

    /** Creates a tenant with its domains; a key or a domain already taken is refused (and nothing is made). */
    public TenantView create(Caller caller, NewTenant spec) {
        String key = requireKey(spec.key());
        String name = spec.name() == null || spec.name().isBlank() ? key : requireName(spec.name());
        List<String> domains = requireDomains(spec.domains());
        GeoPolicy geo = requireGeo(spec.geo() == null ? GeoPolicy.NONE : spec.geo());
        Limits limits = requireLimits(spec.limits() == null ? Limits.DEFAULTS : spec.limits());
        String accountId = spec.accountId() == null ? null : requireAccountId(spec.accountId());
        Map<String, String> rates = spec.rateLimits() == null ? Map.of() : requireRates(spec.rateLimits());
        long now = clock.millis();
        Caller journalled = as(caller, key);
        return store.write(r -> {
            if (r.tenants().tenant(key).isPresent()) {
                throw new DirectoryException(Reason.TENANT_TAKEN, "a tenant with key " + key + " already exists", "key");
            }
            if (accountId != null && r.tenants().tenantByAccountId(accountId).isPresent()) {
                throw new DirectoryException(Reason.TENANT_TAKEN, "account id " + accountId + " belongs to another tenant",
                        "account_id");
            }
            Tenant tenant = new Tenant(key, name, geo, limits, accountId, now, now);
            r.tenants().upsertTenant(tenant);
            r.lockTenant(key);
            Journal.created(r, journalled, now, ObjectKind.TENANT, key, States.tenant(tenant));
            for (int i = 0; i < domains.size(); i++) addDomain(r, journalled, key, domains.get(i), now, "domains[" + i + "]");
            if (!rates.isEmpty()) {
                r.tenants().replaceRateLimits(key, rates);
                Journal.updated(r, journalled, now, ObjectKind.RATE_LIMITS, key, States.rateLimits(Map.of()), States.rateLimits(rates));
            }
            return view(r, tenant);
        });
    }

    /** Changes name, geo, limits or rate-limit overrides; what is not given stays. */
    public TenantView update(Caller caller, String key, TenantChange change) {
        if (change.name() != null) requireName(change.name());
        if (change.geo() != null) requireGeo(change.geo());
        if (change.limits() != null) requireLimits(change.limits());
        Map<String, String> newRates = change.rateLimits() == null ? null : requireRates(change.rateLimits());
        long now = clock.millis();
        Caller journalled = as(caller, key);
        return store.writeTenant(key, r -> {
            Tenant before = Tenants.require(r, key);
            Tenant after = new Tenant(key, change.name() != null ? change.name() : before.name(),
                    change.geo() != null ? change.geo() : before.geo(),
                    change.limits() != null ? change.limits() : before.limits(), before.accountId(),
                    before.createdAt(), now);
            if (!States.tenant(before).equals(States.tenant(after))) {
                r.tenants().upsertTenant(after);
                Journal.updated(r, journalled, now, ObjectKind.TENANT, key, States.tenant(before), States.tenant(after));
            }
            if (newRates != null) {
                Map<String, String> previous = r.tenants().rateLimits(key);
                if (!previous.equals(newRates)) {
                    r.tenants().replaceRateLimits(key, newRates);
                    Journal.updated(r, journalled, now, ObjectKind.RATE_LIMITS, key, States.rateLimits(previous),
                            States.rateLimits(newRates));
                }
            }
            return view(r, Tenants.require(r, key));
        });
    }

    /**
     * Deletes a tenant. Unless forced, only an empty one (no users, departments, mailboxes, mail groups or
     * addresses; its domains, apps and service accounts go with it). Forced, everything of the tenant goes in
     * this one transaction. The journal keeps the tenant's history and records the delete.
     */
    public void delete(Caller caller, String key, boolean force) {
        long now = clock.millis();
        Caller journalled = as(caller, key);
        store.writeTenant(key, r -> {
            Tenant tenant = Tenants.require(r, key);
            Usage usage = usage(r, key);
            if (!force && !usage.empty()) {
                throw new DirectoryException(Reason.TENANT_NOT_EMPTY, "tenant " + key + " still holds " + describe(usage)
                        + "; delete those first or pass force=true");
            }
            r.tenants().deleteTenant(key);
            Journal.deleted(r, journalled, now, ObjectKind.TENANT, key, States.tenant(tenant));
            return null;
        });
    }

    /** The tenant's domains, in name order. */
    public List<Domain> domains(String key) {
        return store.read(r -> {
            Tenants.require(r, key);
            List<Domain> out = new ArrayList<>(r.tenants().domainsOf(key));
            out.sort(Comparator.comparing(Domain::name));
            return out;
        });
    }

    /** Adds a domain to a tenant; a domain belongs to one tenant only. */
    public Domain addDomain(Caller caller, String key, String name) {
        long now = clock.millis();
        return store.writeTenant(key, r -> {
            Tenants.require(r, key);
            return addDomain(r, as(caller, key), key, name, now, "domain");
        });
    }

    /** The stored domain, newly added and journalled; refused when another tenant has it or this one already does. */
    static Domain addDomain(Records r, Caller caller, String key, String rawName, long now, String field) {
        return putDomain(r, caller, key, rawName, now, field, false);
    }

    /**
     * The tenant's domain of that name, added and journalled when new. Another tenant's is refused; so is one
     * the tenant already has, unless {@code alreadyIsFine} (a seed describes the wanted state, not a change).
     */
    static Domain putDomain(Records r, Caller caller, String key, String rawName, long now, String field, boolean alreadyIsFine) {
        String name = requireDomain(rawName, field);
        Domain candidate = new Domain(Ids.uuid(), key, name, now, now);
        Domain stored = r.tenants().upsertDomain(candidate);
        if (stored.id().equals(candidate.id())) {
            Journal.created(r, caller, now, ObjectKind.DOMAIN, stored.id(), States.domain(stored));
            return stored;
        }
        boolean ours = stored.tenantKey().equals(key);
        if (ours && alreadyIsFine) return stored;
        throw new DirectoryException(Reason.TENANT_TAKEN, "domain " + name + " already belongs to "
                + (ours ? "this tenant" : "another tenant"), field);
    }

    /**
     * Removes a domain from a tenant. Refused while any address of the namespace is at it (user mailboxes,
     * those in the recycle bin included, their aliases, public mailboxes, mail groups, aliases, a catch-all):
     * the refusal counts them by kind. A tenant keeps at least one domain, as it was created with one.
     */
    public void removeDomain(Caller caller, String key, String rawName) {
        String name = rawName == null ? "" : rawName.trim().toLowerCase(Locale.ROOT);
        long now = clock.millis();
        store.writeTenant(key, r -> {
            Tenants.require(r, key);
            Domain domain = r.tenants().domainByName(name).filter(d -> d.tenantKey().equals(key))
                    .orElseThrow(() -> new DirectoryException(Reason.DOMAIN_NOT_FOUND, "domain " + rawName + " is not one of this tenant's"));
            List<String> uses = new ArrayList<>();
            long total = 0;
            for (var e : r.addresses().countByKind(domain.id()).entrySet()) {
                total += e.getValue();
                uses.add(e.getValue() + " " + label(e.getKey(), e.getValue()));
            }
            if (r.addresses().catchAllOf(domain.id()).isPresent()) {
                total++;
                uses.add("1 catch-all");
            }
            if (total > 0) {
                throw new DirectoryException(Reason.IN_USE, "domain " + name + " is in use by " + total
                        + (total == 1 ? " address (" : " addresses (") + String.join(", ", uses) + "); remove or move them first");
            }
            if (r.tenants().domainsOf(key).size() == 1) {
                throw new DirectoryException(Reason.IN_USE, "domain " + name + " is the tenant's last domain; add another first");
            }
            r.tenants().deleteDomain(domain.id());
            Journal.deleted(r, as(caller, key), now, ObjectKind.DOMAIN, domain.id(), States.domain(domain));
            return null;
        });
    }

    /** How a refusal names an address kind: "user mailbox", "mail group alias", in the plural when many. */
    private static String label(AddressKind kind, long n) {
        String one = switch (kind) {
            case USER_MAILBOX -> "user mailbox";
            case USER_ALIAS -> "user mailbox alias";
            case PUBLIC_MAILBOX -> "public mailbox";
            case PUBLIC_ALIAS -> "public mailbox alias";
            case MAIL_GROUP -> "mail group";
            case GROUP_ALIAS -> "mail group alias";
        };
        return n == 1 ? one : one.endsWith("mailbox") ? one + "es" : one + "s";
    }

    /** The overrides with each quota in its canonical form; a quota that does not parse is refused by its route. */
    private static Map<String, String> requireRates(Map<String, String> given) {
        Map<String, String> rates = new TreeMap<>();
        for (var e : given.entrySet()) {
            try {
                rates.put(e.getKey(), RateQuota.parse(e.getValue()).toString());
            } catch (DirectoryException bad) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, bad.getMessage(), "rate_limits." + e.getKey());
            }
        }
        return rates;
    }

    private static String describe(Usage u) {
        List<String> parts = new ArrayList<>();
        u.asMap().forEach((kind, n) -> {
            if (n > 0 && !kind.equals("apps") && !kind.equals("service_accounts")) parts.add(n + " " + kind.replace('_', ' '));
        });
        return String.join(", ", parts);
    }

    private static Caller as(Caller caller, String key) {
        return new Caller(key, caller.actorKind(), caller.actorId(), caller.requestId());
    }

    static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT,
                    "key must be 1-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", "key");
        }
        return key;
    }

    static String requireName(String name) {
        if (name.isBlank() || Text.length(name) > MAX_NAME_LENGTH || name.indexOf('\0') >= 0) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "name must be 1-" + MAX_NAME_LENGTH + " characters", "name");
        }
        return name;
    }

    private static List<String> requireDomains(List<String> domains) {
        if (domains == null || domains.isEmpty()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "at least one domain is required", "domains");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < domains.size(); i++) {
            String d = requireDomain(domains.get(i), "domains[" + i + "]");
            if (out.contains(d)) throw new DirectoryException(Reason.INVALID_ARGUMENT, "domain " + d + " is named twice", "domains[" + i + "]");
            out.add(d);
        }
        return out;
    }

    static String requireDomain(String raw, String field) {
        String d = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (!Address.isAscii(d) || !Address.isDomain(d)) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "not a valid domain name: " + raw, field);
        }
        return d;
    }

    private static GeoPolicy requireGeo(GeoPolicy geo) {
        if (!geo.multiGeo()) return GeoPolicy.NONE;
        if (geo.allowed().isEmpty()) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "a multi-geo tenant needs at least one allowed geo", "geo.allowed");
        }
        if (geo.defaultGeo() != null && !geo.allowed().contains(geo.defaultGeo())) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "the default geo must be one of the allowed", "geo.default");
        }
        return geo;
    }

    private static Limits requireLimits(Limits l) {
        int[] values = {l.publicMailboxes(), l.mailGroups(), l.mailGroupMembers(), l.aliasesPerAddress(),
            l.publicMailboxesPerUser(), l.userMailboxes()};
        String[] names = {"public_mailboxes", "mail_groups", "mail_group_members", "aliases_per_address",
            "public_mailboxes_per_user", "user_mailboxes"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > MAX_LIMIT) {
                throw new DirectoryException(Reason.INVALID_ARGUMENT, "must be between 0 and " + MAX_LIMIT, "limits." + names[i]);
            }
        }
        return l;
    }

    private static String requireAccountId(String id) {
        if (!Accounts.isUuid(id)) {
            throw new DirectoryException(Reason.INVALID_ARGUMENT, "the account id must be a UUID", "account_id");
        }
        return id.toLowerCase(Locale.ROOT);
    }
}
