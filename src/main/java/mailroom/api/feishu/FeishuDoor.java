package mailroom.api.feishu;

import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import mailroom.directory.Directory;
import mailroom.server.RequestMetrics;

/** The Feishu/Lark Mail v1 door: token endpoints plus every mail endpoint, on one pipeline. */
public final class FeishuDoor {
    private final FeishuAuthApi auth;
    private final FeishuRouter router;

    public FeishuDoor(Directory directory, FeishuTokens tokens, FeishuRouter.RateGate rateGate, RequestMetrics metrics) {
        this.auth = new FeishuAuthApi(directory.tenants(), tokens, metrics);
        this.router = new FeishuRouter(directory.tenants(), tokens, rateGate, metrics);
        new MailGroupApi(directory.mailGroups()).register(router);
        new UserMailboxApi(directory.mailboxes()).register(router);
        new PublicMailboxApi(directory.publicMailboxes()).register(router);
        new MailboxLifecycleApi(directory.mailboxes(), directory.addressLookup()).register(router);
    }

    public void register(HttpRouting.Builder http) {
        auth.register(http);
        router.register(http);
    }

    /** Every route as "METHOD /path", token endpoints included, in registration order. */
    public List<String> describeRoutes() {
        List<String> out = new java.util.ArrayList<>();
        out.add("POST " + FeishuAuthApi.TENANT_TOKEN_PATH);
        out.add("POST " + FeishuAuthApi.APP_TOKEN_PATH);
        router.routes().forEach(r -> out.add(r.describe()));
        return out;
    }

    public List<FeishuRouter.Route> routes() {
        return router.routes();
    }
}
