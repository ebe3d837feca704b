package mailroom.api.admin;

import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.directory.access.OperatorTokens;
import mailroom.http.CredentialThrottle;
import mailroom.http.Door;
import mailroom.http.RequestMetrics;
import mailroom.http.RouteSpec;
import mailroom.sandbox.Sandbox;
import mailroom.sandbox.SandboxWorlds;

/**
 * The sandbox controls below /sandbox/v1 (only with {@code mailroom serve --sandbox}; docs/sandbox.md): the
 * operator door's token check and problem details, for admin tokens only, on the sandbox's clock, request
 * journal, faults and worlds (reset and snapshots).
 */
public final class SandboxDoor implements Door {
    static final String ROOT = "/sandbox/v1";
    private final AdminRouter router;

    /** @param routesByDoor the routes a fault may name, by door ("METHOD /path" as in the route table) */
    public SandboxDoor(Sandbox sandbox, SandboxWorlds worlds, OperatorTokens tokens, Map<String, Set<String>> routesByDoor, Clock clock,
                       RequestMetrics metrics) {
        this.router = new AdminRouter(ROOT, "sandbox", tokens, new CredentialThrottle(CredentialThrottle.Policy.TOKEN_ENDPOINTS, clock),
                metrics);
        new SandboxApi(sandbox, worlds, routesByDoor).register(router);
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public List<RouteSpec> routes() {
        return router.routes().stream().map(r -> new RouteSpec(name(), r.method().text(), ROOT + r.path(), r.requires(),
                RouteSpec.NONE)).toList();
    }

    @Override
    public void register(HttpRouting.Builder http) {
        router.register(http);
    }
}
