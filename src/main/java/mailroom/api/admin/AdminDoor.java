package mailroom.api.admin;

import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import mailroom.directory.Directory;
import mailroom.events.ChangeFeed;
import mailroom.http.CredentialThrottle;
import mailroom.http.Door;
import mailroom.http.RequestMetrics;
import mailroom.http.RouteSpec;

/** The operator door: Mailroom's own admin API below /admin/v1, authenticated by operator tokens. */
public final class AdminDoor implements Door {
    private final AdminRouter router;
    private final ChangeFeed changes;

    /**
     * @param rateLimitedRoutes the routes a tenant's rate-limit override may name ("METHOD /path")
     * @param appScopes the scopes an app may be granted (those the Feishu door checks)
     */
    public AdminDoor(Directory directory, Set<String> rateLimitedRoutes, Set<String> appScopes, Clock clock, RequestMetrics metrics) {
        this.router = new AdminRouter(directory.operatorTokens(),
                new CredentialThrottle(CredentialThrottle.Policy.TOKEN_ENDPOINTS, clock), metrics);
        new TenantsApi(directory.tenantLifecycle(), directory.tenants(), rateLimitedRoutes).register(router);
        new DomainsApi(directory.tenantLifecycle()).register(router);
        new AppsApi(directory.apps(), appScopes).register(router);
        new ServiceAccountsApi(directory.serviceAccounts()).register(router);
        new DepartmentsApi(directory.departments()).register(router);
        new OperatorTokensApi(directory.operatorTokens()).register(router);
        new UsersApi(directory.users()).register(router);
        new AddressesApi(directory.addressLookup()).register(router);
        new ImportApi(directory.imports(), directory.exports()).register(router);
        new AuditApi(directory.journal()).register(router);
        new WebhooksApi(directory.webhooks()).register(router);
        this.changes = new ChangeFeed(directory.journal());
        new ChangesApi(changes, directory.tenants()).register(router);
    }

    /** The change feed this door serves (its open long polls are a metric). */
    public ChangeFeed changeFeed() {
        return changes;
    }

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public List<RouteSpec> routes() {
        return router.routes().stream().map(r -> new RouteSpec(name(), r.method().text(), AdminRouter.ROOT + r.path(),
                r.requires(), RouteSpec.NONE)).toList();
    }

    @Override
    public void register(HttpRouting.Builder http) {
        router.register(http);
    }
}
