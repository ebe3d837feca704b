package mailroom.api.hybridbox;

import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import mailroom.directory.Directory;
import mailroom.http.Door;
import mailroom.http.RequestMetrics;
import mailroom.http.RouteSpec;

/** The Hybridbox public API door: service-account bearer auth in front of accounts, domains and mailboxes. */
public final class HybridboxDoor implements Door {
    private final HybridboxRouter router;

    /** A door that records no metrics (enough to describe its routes). */
    public HybridboxDoor(Directory directory) {
        this(directory, RequestMetrics.NONE);
    }

    public HybridboxDoor(Directory directory, RequestMetrics metrics) {
        this.router = new HybridboxRouter(directory.serviceAccounts(), metrics);
        new AccountApi(directory.accounts()).register(router);
        new MailboxApi(directory.mailboxes()).register(router);
        new ServiceAccountApi(directory.serviceAccounts()).register(router);
    }

    @Override
    public String name() {
        return "hybridbox";
    }

    @Override
    public void register(HttpRouting.Builder http) {
        router.register(http);
    }

    @Override
    public List<RouteSpec> routes() {
        return router.routes().stream().map(r -> new RouteSpec(name(), r.method().text(), HybridboxRouter.PREFIX + r.path(),
                r.capability(), RouteSpec.NONE)).toList();
    }

    /** Every route as "METHOD /path" in registration order. */
    public List<String> describeRoutes() {
        return routes().stream().map(RouteSpec::describe).toList();
    }
}
