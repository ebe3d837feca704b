package mailroom.api.hybridbox;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import mailroom.directory.access.ServiceAccounts;
import mailroom.directory.access.ServiceAccounts.Principal;
import mailroom.http.Pipeline;
import mailroom.http.RequestMetrics;

/**
 * The Hybridbox routes on the shared {@link Pipeline}: the door plugs in its bearer token check (401),
 * then account id shape (422), account match (404, so another account's objects are never confirmed),
 * capability (403) and the handler; refusals are answered by {@link HybridboxAnswers}.
 */
public final class HybridboxRouter {
    /** Everything below this is the door's: answered in its JSON, whatever the path. */
    static final String ROOT = "/v1/public";
    static final String PREFIX = ROOT + "/accounts/{account_id}";

    @FunctionalInterface
    interface Endpoint {
        Reply handle(HybridboxCall call) throws Exception;
    }

    /** A success answer; a null body is sent as an empty 204-style response. */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply created(Object body) {
            return new Reply(201, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }
    }

    /** One route: method, path below the account prefix, and the capability it needs. */
    public record Route(Method method, String path, String capability, Endpoint endpoint) {
        public String describe() {
            return method.text() + " " + PREFIX + path;
        }

        Pattern pattern() {
            return Pattern.compile((PREFIX + path).replaceAll("\\{[a-z_]+}", "[^/]+"));
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final ServiceAccounts serviceAccounts;
    private final Pipeline pipeline;

    HybridboxRouter(ServiceAccounts serviceAccounts, RequestMetrics metrics) {
        this.serviceAccounts = serviceAccounts;
        // Every answer names its request, as the journal does: an audit entry can be traced to the answer a client got.
        this.pipeline = new Pipeline("hybridbox", "X-Request-Id", metrics);
    }

    void route(Method method, String path, String capability, Endpoint endpoint) {
        routes.add(new Route(method, path, capability, endpoint));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * Registers every route, then answers every other path below /v1/public like FastAPI does (404, or 405
     * for a known path with another method), in JSON.
     */
    void register(HttpRouting.Builder http) {
        HybridboxAnswers answers = new HybridboxAnswers();
        for (Route route : routes) {
            http.route(route.method(), PREFIX + route.path(), pipeline.handler(route.describe(), answers, this::authenticate,
                    (exchange, principal) -> serve(route, exchange, principal)));
        }
        List<Pattern> patterns = routes.stream().map(Route::pattern).toList();
        io.helidon.webserver.http.Handler unknown = pipeline.bodiless(RequestMetrics.UNMATCHED, answers, (exchange, none) -> {
            String path = exchange.request().path().path();
            boolean known = patterns.stream().anyMatch(p -> p.matcher(path).matches());
            return HybridboxAnswers.json(known ? 405 : 404, Map.of("detail", known ? "Method Not Allowed" : "Not Found"));
        });
        for (String path : List.of(ROOT, ROOT + "/", ROOT + "/{+rest}")) http.any(path, unknown);
    }

    /** The door's part of the pipeline after authentication: account id shape and match, capability, handler. */
    private Pipeline.Answer serve(Route route, Pipeline.Exchange exchange, Principal principal) throws Exception {
        HybridboxCall call = new HybridboxCall(exchange.request(), exchange.body(), principal, exchange.id());
        exchange.state(call);
        String accountId = exchange.request().path().pathParameters().get("account_id");
        call.pathUuid("account_id");
        if (!accountId.equalsIgnoreCase(principal.accountId())) throw HybridboxException.notFound("Account not found");
        if (!principal.can(route.capability())) {
            throw HybridboxException.forbidden("Missing capability: " + route.capability());
        }
        Reply reply = route.endpoint().handle(call);
        return reply.body() == null ? Pipeline.Answer.empty(reply.status(), "") : HybridboxAnswers.json(reply.status(), reply.body());
    }

    private Principal authenticate(Pipeline.Exchange exchange) {
        Optional<String> header = exchange.request().headers().first(HeaderNames.AUTHORIZATION);
        String value = header.orElse("").trim();
        if (value.isEmpty()) throw HybridboxException.unauthenticated("Not authenticated");
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw HybridboxException.unauthenticated("Invalid authentication credentials");
        }
        return serviceAccounts.authenticate(value.substring(7).trim())
                .orElseThrow(() -> HybridboxException.unauthenticated("Invalid or expired token"));
    }
}
