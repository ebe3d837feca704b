package mailroom.directory.tenant;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryException;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Ids;
import mailroom.directory.Journal;
import mailroom.directory.KindCache;
import mailroom.directory.Reason;
import mailroom.directory.Records;
import mailroom.directory.States;
import mailroom.directory.Text;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.address.Address;
import mailroom.directory.mailbox.Mailboxes;

/** Tenants and what belongs to them from outside the APIs: domains, departments, users and apps. */
public final class Tenants {
    /** Most apps kept by {@link #app}; every request of an app-authenticated door asks for its app. */
    private static final int APPS_KEPT = 10_000;
    private final DirectoryStore store;
    private final Clock clock;
    private final KindCache<String, Optional<App>> apps;

    public Tenants(DirectoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.apps = new KindCache<>(store, ObjectKind.APP, APPS_KEPT);
    }

    public static Tenant require(Records r, String tenantKey) {
        return r.tenants().tenant(tenantKey)
                .orElseThrow(() -> new DirectoryException(Reason.TENANT_NOT_FOUND, "tenant not found"));
    }

    public Optional<Tenant> find(String key) {
        return store.read(r -> r.tenants().tenant(key));
    }

    public Optional<Tenant> findByAccountId(String accountId) {
        return store.read(r -> r.tenants().tenantByAccountId(accountId));
    }

    /** The app, current as of every acknowledged write (kept between requests where the store allows it). */
    public Optional<App> app(String appId) {
        return apps.get(appId, id -> store.read(r -> r.tenants().app(id)));
    }

    public Optional<User> user(String tenantKey, UserRef ref) {
        return store.read(r -> r.tenants().user(tenantKey, ref));
    }

    /** Per-endpoint rate-limit overrides of the tenant, keyed by the door's route ("METHOD /path"). */
    public java.util.Map<String, RateQuota> rateLimits(String tenantKey) {
        java.util.Map<String, RateQuota> out = new java.util.TreeMap<>();
        store.read(r -> r.tenants().rateLimits(tenantKey)).forEach((k, v) -> out.put(k, RateQuota.parse(v)));
        return out;
    }

    public List<Domain> domains(String tenantKey) {
        return store.read(r -> r.tenants().domainsOf(tenantKey));
    }

    public byte[] signingSecret(byte[] candidate) {
        return store.write(r -> r.tenants().signingSecret(candidate));
    }

    /** One whole tenant as a seed describes it; provisioning it again changes nothing. */
    public record TenantSpec(Tenant tenant, List<String> domains, List<Department> departments,
                             List<UserSpec> users, List<AppSpec> apps, List<ServiceAccountSpec> serviceAccounts,
                             java.util.Map<String, String> rateLimits) {
        /** Without rate-limit overrides: the tenant gets every endpoint's documented rate. */
        public TenantSpec(Tenant tenant, List<String> domains, List<Department> departments, List<UserSpec> users,
                          List<AppSpec> apps, List<ServiceAccountSpec> serviceAccounts) {
            this(tenant, domains, departments, users, apps, serviceAccounts, java.util.Map.of());
        }
    }

    /** A service account as a seed names it; its token is stored only as a hash. */
    public record ServiceAccountSpec(String name, String token, List<String> permissions) {}

    /** An API app as a seed names it, with its secret in plain text (stored hashed). */
    public record AppSpec(String appId, String secret, java.util.Set<String> scopes) {}

    public record UserSpec(User user, String email, List<String> departmentIds) {}

    /**
     * Creates or brings up to date everything the spec names, in one transaction. The seed describes the
     * wanted state, so a seed user whose mailbox was released gets it back — unless its address has
     * meanwhile gone to another owner: then the mailbox is left out and a note says so (start-up must
     * not fail because an operator reused an address). Answers those notes.
     */
    public List<String> provision(Caller caller, TenantSpec spec) {
        return provision(caller, spec, prepareSecrets(List.of(spec)));
    }

    /**
     * Starts the PBKDF2 work of every app these specs name, on other threads; {@link #provision(Caller, TenantSpec,
     * AppSecrets)} uses what it found. Start-up calls this as soon as the store is open.
     */
    public AppSecrets prepareSecrets(List<TenantSpec> specs) {
        return AppSecrets.start(store, specs.stream().flatMap(spec -> spec.apps().stream()).toList());
    }

    /** As {@link #provision(Caller, TenantSpec)}, with the apps' secrets worked out ahead ({@link #prepareSecrets}). */
    public List<String> provision(Caller caller, TenantSpec spec, AppSecrets secrets) {
        if (!caller.tenantKey().equals(spec.tenant().key())) {
            throw new IllegalArgumentException("a caller of tenant " + caller.tenantKey() + " cannot provision "
                    + spec.tenant().key());
        }
        requireLengths(spec);
        // Outside the transaction: the single writer is not held while PBKDF2 runs.
        secrets.awaitAll();
        long now = clock.millis();
        List<String> notes = new java.util.ArrayList<>();
        store.write(r -> {
            // The tenant lock first, like every other tenant write (a new tenant's row is locked once it
            // exists, below): the same lock order everywhere, and the owner checks below stay true.
            r.lockTenant(spec.tenant().key());
            Tenant existing = r.tenants().tenant(spec.tenant().key()).orElse(null);
            Tenant s = spec.tenant();
            Tenant tenant = existing == null
                    ? new Tenant(s.key(), s.name(), s.geo(), s.limits(), s.accountId(), now, now)
                    : new Tenant(s.key(), s.name(), s.geo(), s.limits(), s.accountId(),
                    existing.createdAt(), existing.updatedAt());
            if (!tenant.equals(existing)) {
                r.tenants().upsertTenant(existing == null ? tenant : new Tenant(tenant.key(), tenant.name(),
                        tenant.geo(), tenant.limits(), tenant.accountId(), tenant.createdAt(), now));
                if (existing == null) {
                    Journal.created(r, caller, now, ObjectKind.TENANT, tenant.key(), States.tenant(tenant));
                } else {
                    Journal.updated(r, caller, now, ObjectKind.TENANT, tenant.key(), States.tenant(existing),
                            States.tenant(tenant));
                }
            }
            if (existing == null) r.lockTenant(tenant.key());
            for (String name : spec.domains()) {
                Domain candidate = new Domain(Ids.uuid(), tenant.key(), name, now, now);
                Domain domain = r.tenants().upsertDomain(candidate);
                if (!domain.tenantKey().equals(tenant.key())) {
                    throw new DirectoryException(Reason.INVALID_ARGUMENT,
                            "domain " + name + " already belongs to tenant " + domain.tenantKey());
                }
                if (domain.id().equals(candidate.id())) {
                    Journal.created(r, caller, now, ObjectKind.DOMAIN, domain.id(), States.domain(domain));
                }
            }
            for (Department d : spec.departments()) {
                Department before = r.tenants().department(tenant.key(),
                        new DepartmentRef(DepartmentIdKind.DEPARTMENT_ID, d.departmentId())).orElse(null);
                r.tenants().upsertDepartment(d);
                if (before == null) {
                    Journal.created(r, caller, now, ObjectKind.DEPARTMENT, d.departmentId(), States.department(d));
                } else {
                    Journal.updated(r, caller, now, ObjectKind.DEPARTMENT, d.departmentId(), States.department(before),
                            States.department(d));
                }
            }
            java.util.Map<String, String> previousRates = r.tenants().rateLimits(tenant.key());
            java.util.Map<String, String> rates = new java.util.TreeMap<>();
            if (spec.rateLimits() != null) {
                spec.rateLimits().forEach((endpoint, quota) -> rates.put(endpoint, RateQuota.parse(quota).toString()));
            }
            r.tenants().replaceRateLimits(tenant.key(), rates);
            if (!previousRates.equals(rates)) {
                Journal.updated(r, caller, now, ObjectKind.RATE_LIMITS, tenant.key(), States.rateLimits(previousRates),
                        States.rateLimits(rates));
            }
            for (AppSpec app : spec.apps()) {
                App stored = r.tenants().app(app.appId()).orElse(null);
                boolean sameSecret = stored != null && secrets.matches(app, stored.secretHash());
                boolean same = sameSecret && stored.tenantKey().equals(tenant.key()) && stored.scopes().equals(app.scopes());
                if (!same) {
                    // A secret that still matches keeps its hash: only a new secret is hashed (and journalled as replaced).
                    App changed = new App(app.appId(), tenant.key(), sameSecret ? stored.secretHash() : secrets.hash(app), app.scopes());
                    r.tenants().upsertApp(changed);
                    if (stored == null) {
                        Journal.created(r, caller, now, ObjectKind.APP, app.appId(), States.app(changed));
                    } else {
                        Journal.replaced(r, caller, now, ObjectKind.APP, app.appId(), States.app(stored), States.app(changed));
                    }
                }
            }
            for (ServiceAccountSpec sa : spec.serviceAccounts()) {
                String hash = Secrets.hashToken(sa.token());
                // A seeded token revoked or rotated away through the API stays gone: a restart must not bring
                // back a token its operator retired (it may have leaked), nor undo the rotation.
                if (r.serviceAccounts().byTokenHash(hash).filter(a -> a.revokedAt() != null).isPresent()) continue;
                if (r.serviceAccounts().isRetired(hash)) {
                    notes.add("service account " + sa.name() + " of tenant " + tenant.key()
                            + " keeps its rotated token: the seed's token was rotated away through the API");
                    continue;
                }
                ServiceAccount stored = r.serviceAccounts().byName(tenant.key(), sa.name()).orElse(null);
                if (stored != null && stored.tokenHash().equals(hash) && stored.permissions().equals(sa.permissions())) {
                    continue;
                }
                String id = stored != null ? stored.id() : Ids.uuid();
                ServiceAccount account = new ServiceAccount(id, tenant.key(), sa.name(), hash,
                        tokenPrefix(sa.token()), last4(sa.token()), id.substring(0, 8), sa.permissions(),
                        stored != null ? stored.createdAt() : now, now, null, null, null);
                r.serviceAccounts().upsert(account);
                if (stored == null) {
                    Journal.created(r, caller, now, ObjectKind.SERVICE_ACCOUNT, id, States.serviceAccount(account));
                } else {
                    Journal.replaced(r, caller, now, ObjectKind.SERVICE_ACCOUNT, id, States.serviceAccount(stored),
                            States.serviceAccount(account));
                }
            }
            for (UserSpec u : spec.users()) {
                User before = r.tenants().user(tenant.key(), new UserRef(UserIdKind.USER_ID, u.user().userId()))
                        .orElse(null);
                java.util.Map<String, Object> beforeState = before == null ? null
                        : States.user(before, r.tenants().departmentsOf(before.id()));
                User user = r.tenants().upsertUser(u.user(), u.departmentIds());
                java.util.Map<String, Object> afterState = States.user(user, r.tenants().departmentsOf(user.id()));
                if (before == null) {
                    Journal.created(r, caller, now, ObjectKind.USER, user.userId(), afterState);
                } else {
                    Journal.updated(r, caller, now, ObjectKind.USER, user.userId(), beforeState, afterState);
                }
                if (u.email() != null && r.mailboxes().byUser(user.id()).isEmpty()) {
                    Address address = Address.parse(u.email(), "address");
                    var owner = r.addresses().find(address.toString());
                    if (owner.isPresent()) {
                        notes.add("user " + user.userId() + " of tenant " + tenant.key() + " gets no mailbox: "
                                + address + " already belongs to a " + owner.get().kind());
                        continue;
                    }
                    Mailboxes.createMailbox(r, caller, tenant, address, user.id(),
                            firstName(u.user().name()), lastName(u.user().name()), now);
                }
            }
            return null;
        });
        return notes;
    }

    /** Every free-text field and chosen id of the spec within its maximum ({@link Text}), named by its place in the spec. */
    private static void requireLengths(TenantSpec spec) {
        Text.requireAtMost("key", spec.tenant().key(), Text.CHOSEN_ID);
        Text.requireAtMost("name", spec.tenant().name(), Text.TENANT_NAME);
        for (int i = 0; i < spec.departments().size(); i++) {
            Department d = spec.departments().get(i);
            String at = "departments[" + i + "].";
            Text.requireAtMost(at + "department_id", d.departmentId(), Text.CHOSEN_ID);
            Text.requireAtMost(at + "open_department_id", d.openDepartmentId(), Text.CHOSEN_ID);
            Text.requireAtMost(at + "name", d.name(), Text.DEPARTMENT_NAME);
        }
        for (int i = 0; i < spec.users().size(); i++) {
            User u = spec.users().get(i).user();
            String at = "users[" + i + "].";
            Text.requireAtMost(at + "user_id", u.userId(), Text.CHOSEN_ID);
            Text.requireAtMost(at + "open_id", u.openId(), Text.CHOSEN_ID);
            Text.requireAtMost(at + "union_id", u.unionId(), Text.CHOSEN_ID);
            Text.requireAtMost(at + "name", u.name(), Text.USER_NAME);
        }
        for (int i = 0; i < spec.apps().size(); i++) {
            Text.requireAtMost("apps[" + i + "].app_id", spec.apps().get(i).appId(), Text.CHOSEN_ID);
        }
        for (int i = 0; i < spec.serviceAccounts().size(); i++) {
            Text.requireAtMost("service_accounts[" + i + "].name", spec.serviceAccounts().get(i).name(),
                    Text.SERVICE_ACCOUNT_NAME);
        }
    }

    public static String tokenPrefix(String token) {
        return token.substring(0, Math.min(8, token.length()));
    }

    public static String last4(String token) {
        return token.substring(Math.max(0, token.length() - 4));
    }

    /** The first word of a user's name, as long as a mailbox name may be. */
    private static String firstName(String name) {
        int space = name == null ? -1 : name.indexOf(' ');
        return name == null ? "" : Text.cut(space < 0 ? name : name.substring(0, space), Text.MAILBOX_NAME);
    }

    /** The rest of a user's name, as long as a mailbox name may be. */
    private static String lastName(String name) {
        int space = name == null ? -1 : name.indexOf(' ');
        return space < 0 ? "" : Text.cut(name.substring(space + 1), Text.MAILBOX_NAME);
    }
}
