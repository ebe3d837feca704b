package mailroom.api.feishu;

import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import mailroom.directory.Directory;
import mailroom.directory.address.AddressLookup;
import mailroom.directory.mailbox.Mailboxes;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.publicmailbox.PublicMailboxes;
import mailroom.directory.tenant.Departments;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.Users;
import mailroom.http.CredentialThrottle;
import mailroom.http.Door;
import mailroom.http.RequestMetrics;
import mailroom.http.RouteSpec;

/** The Feishu/Lark door: token endpoints, every Mail v1 endpoint and the contact v3 part a mail integrator needs. */
public final class FeishuDoor implements Door {
    private static final String NAME = "feishu";
    private final FeishuAuthApi auth;
    private final FeishuRouter router;
    /** What forget() clears: the rate windows (null when rates are off) and the failed-credential counts. */
    private final RateLimits rateLimits;
    private final CredentialThrottle throttle;

    /**
     * @param rateLimits whether Feishu's documented per-app rates (and a seed's overrides) are enforced
     */
    public FeishuDoor(Directory directory, FeishuTokens tokens, boolean rateLimits, Clock clock, RequestMetrics metrics) {
        this.rateLimits = rateLimits ? new RateLimits(directory.tenants(), clock) : null;
        FeishuRouter.RateGate rateGate = this.rateLimits != null ? this.rateLimits : (route, app) -> Optional.empty();
        // Whatever --rate-limits says: this one guards secrets, not quotas.
        this.throttle = new CredentialThrottle(CredentialThrottle.Policy.TOKEN_ENDPOINTS, clock);
        this.auth = new FeishuAuthApi(directory.tenants(), tokens, throttle, metrics);
        this.router = new FeishuRouter(directory.tenants(), tokens, rateGate, metrics);
        registerMailApis(router, directory.mailGroups(), directory.mailboxes(), directory.publicMailboxes(), directory.addressLookup());
        registerContactApis(router, directory.users(), directory.departments(), directory.tenants(), directory.addressLookup());
    }

    /** Contact v3: users (an enterprise_email gives a mailbox) and departments, the part a mail integrator needs. */
    private static void registerContactApis(FeishuRouter router, Users users, Departments departments, Tenants tenants,
                                            AddressLookup lookup) {
        ContactDepartmentApi departmentApi = new ContactDepartmentApi(departments, tenants);
        new ContactUserApi(users, tenants, departmentApi, lookup).register(router);
        departmentApi.register(router);
    }

    private static void registerMailApis(FeishuRouter router, MailGroups groups, Mailboxes mailboxes, PublicMailboxes publicMailboxes,
                                         AddressLookup lookup) {
        new MailGroupApi(groups).register(router);
        new UserMailboxApi(mailboxes).register(router);
        new PublicMailboxApi(publicMailboxes).register(router);
        new MailboxLifecycleApi(mailboxes, lookup).register(router);
    }

    /**
     * Every route as "METHOD /path", as {@link #describeRoutes} answers it, known without a directory: what a
     * seed's rate_limits may name, checked before anything is opened (and by {@code mailroom check-seed}).
     */
    public static List<String> routeNames() {
        FeishuRouter router = new FeishuRouter(null, null, (route, app) -> Optional.empty(), null);
        registerMailApis(router, null, null, null, null);
        registerContactApis(router, null, null, null, null);
        return routes(router).stream().map(RouteSpec::describe).toList();
    }

    /** As {@link #knownScopes}, known without a directory: the scopes a seed's app may hold. */
    public static Set<String> scopeNames() {
        FeishuRouter router = new FeishuRouter(null, null, (route, app) -> Optional.empty(), null);
        registerMailApis(router, null, null, null, null);
        registerContactApis(router, null, null, null, null);
        return knownScopes(router);
    }

    @Override
    public void forget() {
        if (rateLimits != null) rateLimits.forget();
        throttle.forget();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void register(HttpRouting.Builder http) {
        auth.register(http);
        router.register(http);
    }

    @Override
    public List<RouteSpec> routes() {
        return routes(router);
    }

    private static List<RouteSpec> routes(FeishuRouter router) {
        List<RouteSpec> out = new ArrayList<>();
        out.add(new RouteSpec(NAME, "POST", FeishuAuthApi.TENANT_TOKEN_PATH, RouteSpec.NONE, RouteSpec.NONE));
        out.add(new RouteSpec(NAME, "POST", FeishuAuthApi.APP_TOKEN_PATH, RouteSpec.NONE, RouteSpec.NONE));
        for (FeishuRouter.Route r : router.routes()) {
            out.add(new RouteSpec(NAME, r.method().text(), r.path(), String.join("|", r.scopes()), r.rate()));
        }
        return out;
    }

    /** Every route as "METHOD /path", token endpoints included, in registration order. */
    public List<String> describeRoutes() {
        return routes().stream().map(RouteSpec::describe).toList();
    }

    public List<FeishuRouter.Route> mailRoutes() {
        return router.routes();
    }

    /** Every scope this door checks: those its routes require and those its handlers check themselves. */
    public Set<String> knownScopes() {
        return knownScopes(router);
    }

    private static Set<String> knownScopes(FeishuRouter router) {
        Set<String> out = new TreeSet<>(List.of(FeishuScopes.PUBLIC_MAILBOX_GEO, FeishuCall.EMPLOYEE_ID_SCOPE));
        router.routes().forEach(r -> out.addAll(r.scopes()));
        return Collections.unmodifiableSet(out);
    }
}
