package mailroom.api.feishu;

import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mailroom.directory.Directory;
import mailroom.http.CredentialThrottle;
import mailroom.http.Door;
import mailroom.http.RequestMetrics;
import mailroom.http.RouteSpec;

/** The Feishu/Lark Mail v1 door: token endpoints plus every mail endpoint, on the shared pipeline. */
public final class FeishuDoor implements Door {
    private final FeishuAuthApi auth;
    private final FeishuRouter router;

    /**
     * @param rateLimits whether Feishu's documented per-app rates (and a seed's overrides) are enforced
     */
    public FeishuDoor(Directory directory, FeishuTokens tokens, boolean rateLimits, Clock clock, RequestMetrics metrics) {
        FeishuRouter.RateGate rateGate = rateLimits ? new RateLimits(directory.tenants(), clock) : (route, app) -> Optional.empty();
        // Whatever --rate-limits says: this one guards secrets, not quotas.
        CredentialThrottle throttle = new CredentialThrottle(CredentialThrottle.Policy.TOKEN_ENDPOINTS, clock);
        this.auth = new FeishuAuthApi(directory.tenants(), tokens, throttle, metrics);
        this.router = new FeishuRouter(directory.tenants(), tokens, rateGate, metrics);
        new MailGroupApi(directory.mailGroups()).register(router);
        new UserMailboxApi(directory.mailboxes()).register(router);
        new PublicMailboxApi(directory.publicMailboxes()).register(router);
        new MailboxLifecycleApi(directory.mailboxes(), directory.addressLookup()).register(router);
    }

    @Override
    public String name() {
        return "feishu";
    }

    @Override
    public void register(HttpRouting.Builder http) {
        auth.register(http);
        router.register(http);
    }

    @Override
    public List<RouteSpec> routes() {
        List<RouteSpec> out = new ArrayList<>();
        out.add(new RouteSpec(name(), "POST", FeishuAuthApi.TENANT_TOKEN_PATH, RouteSpec.NONE, RouteSpec.NONE));
        out.add(new RouteSpec(name(), "POST", FeishuAuthApi.APP_TOKEN_PATH, RouteSpec.NONE, RouteSpec.NONE));
        for (FeishuRouter.Route r : router.routes()) {
            out.add(new RouteSpec(name(), r.method().text(), r.path(), String.join("|", r.scopes()), r.rate()));
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
}
