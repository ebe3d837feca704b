package mailroom.directory.tenant;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import mailroom.directory.access.Apps;
import mailroom.directory.access.Secrets;
import mailroom.directory.access.ServiceAccount;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.address.Address;

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
        this.apps = new KindCache<>(store, APPS_KEPT, ObjectKind.APP);
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

    /**
     * A new server-wide signing secret in place of the old: every token signed before stops verifying (on
     * nodes that read the secret again; this node's signer must be given it). Not journalled: it is a secret.
     */
    public void replaceSigningSecret(byte[] secret) {
        store.write(r -> {
            r.tenants().replaceSigningSecret(secret);
            return null;
        });
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
            // The operator door's rules, applied to what the seed names: see TenantLifecycle, Departments, Apps, ServiceAccounts.
            for (int i = 0; i < spec.domains().size(); i++) {
                String field = "domains[" + i + "]";
                String name = spec.domains().get(i);
                named(field, () -> TenantLifecycle.putDomain(r, caller, tenant.key(), name, now, field, true));
            }
            named("departments", () -> Departments.provision(r, caller, tenant.key(), spec.departments(), now, "departments"));
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
            for (int i = 0; i < spec.apps().size(); i++) {
                String field = "apps[" + i + "]";
                AppSpec app = spec.apps().get(i);
                named(field, () -> provisionApp(r, caller, tenant, app, field, secrets, now, notes));
            }
            if (!spec.serviceAccounts().isEmpty()) named("service_accounts", () -> ServiceAccounts.requireAccount(tenant));
            for (int i = 0; i < spec.serviceAccounts().size(); i++) {
                ServiceAccountSpec sa = spec.serviceAccounts().get(i);
                String field = "service_accounts[" + i + "]";
                named(field, () -> {
                    ServiceAccounts.requireName(sa.name(), field + ".name");
                    ServiceAccounts.requireCapabilities(sa.permissions(), field + ".permissions");
                });
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
                // The seed's rules are the operator door's (Users.put), with start-up exceptions: a seed never moves
                // the address of a mailbox its user already has (an address changed through the API stays), and an
                // address meanwhile gone to another owner, or a tenant already at its mailbox limit, leaves the user
                // without a mailbox and a note: start-up must not fail over what the doors did meanwhile.
                UserSpec wanted = u;
                if (u.email() != null) {
                    User stored = r.tenants().user(tenant.key(), new UserRef(UserIdKind.USER_ID, u.user().userId())).orElse(null);
                    var owner = r.addresses().find(Address.parse(u.email(), "email").toString());
                    if (stored != null && r.mailboxes().byUser(stored.id()).isPresent()) {
                        wanted = new UserSpec(u.user(), null, u.departmentIds());
                    } else if (owner.isPresent()) {
                        notes.add("user " + u.user().userId() + " of tenant " + tenant.key() + " gets no mailbox: "
                                + owner.get().address() + " already belongs to a " + owner.get().kind());
                        wanted = new UserSpec(u.user(), null, u.departmentIds());
                    } else if (r.mailboxes().countInService(tenant.key()) >= tenant.limits().userMailboxes()) {
                        notes.add("user " + u.user().userId() + " of tenant " + tenant.key() + " gets no mailbox: the tenant"
                                + " has reached its limit of " + tenant.limits().userMailboxes() + " user mailboxes");
                        wanted = new UserSpec(u.user(), null, u.departmentIds());
                    }
                }
                Users.put(r, caller, tenant, wanted, now);
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

    /**
     * One app of a seed: created, or brought up to date. A secret that still matches keeps its hash: only a new
     * secret is hashed (and journalled as replaced). An app deleted through the operator door stays deleted, and
     * one whose seeded secret was rotated away keeps its new secret (the old one may have leaked); a note says so.
     */
    private static void provisionApp(Records r, Caller caller, Tenant tenant, AppSpec app, String field, AppSecrets secrets,
                                     long now, List<String> notes) {
        Apps.requireAppId(app.appId(), field + ".app_id");
        App stored = r.tenants().app(app.appId()).orElse(null);
        if (stored != null && !stored.tenantKey().equals(tenant.key())) {
            throw new DirectoryException(Reason.APP_TAKEN, "app id " + app.appId() + " already belongs to another tenant",
                    field + ".app_id");
        }
        boolean sameSecret = stored != null && secrets.matches(app, stored.secretHash());
        List<String> retired = sameSecret ? List.of() : r.tenants().retiredAppSecrets(app.appId());
        if (stored == null && !retired.isEmpty()) {
            notes.add("app " + app.appId() + " of tenant " + tenant.key() + " stays deleted: it was deleted through the API");
            return;
        }
        boolean rotatedAway = stored != null && !sameSecret && !retired.isEmpty() && secrets.retired(app, stored.secretHash(), retired);
        if (rotatedAway) {
            notes.add("app " + app.appId() + " of tenant " + tenant.key()
                    + " keeps its rotated secret: the seed's secret was rotated away through the API");
        }
        App changed = new App(app.appId(), tenant.key(), sameSecret || rotatedAway ? stored.secretHash() : secrets.hash(app),
                Set.copyOf(app.scopes()));
        if (changed.equals(stored)) return;
        r.tenants().upsertApp(changed);
        if (stored == null) {
            Journal.created(r, caller, now, ObjectKind.APP, app.appId(), States.app(changed));
        } else if (!changed.secretHash().equals(stored.secretHash())) {
            Journal.replaced(r, caller, now, ObjectKind.APP, app.appId(), States.app(stored), States.app(changed));
        } else {
            Journal.updated(r, caller, now, ObjectKind.APP, app.appId(), States.app(stored), States.app(changed));
        }
    }

    /**
     * Runs one of the rules on an entry of a seed; a refusal is rethrown with the entry's place first
     * ("apps[1].app_id: ..."), as the seed's author needs it.
     */
    private static void named(String field, Runnable check) {
        try {
            check.run();
        } catch (DirectoryException e) {
            String path = e.field() != null && e.field().startsWith(field) ? e.field() : field;
            if (e.getMessage().startsWith(path)) throw e;
            throw new DirectoryException(e.reason(), path + ": " + e.getMessage(), path);
        }
    }

    public static String tokenPrefix(String token) {
        return token.substring(0, Math.min(8, token.length()));
    }

    public static String last4(String token) {
        return token.substring(Math.max(0, token.length() - 4));
    }
}
