package mailroom.api.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import mailroom.directory.access.OperatorToken;
import mailroom.directory.access.OperatorTokens;
import mailroom.directory.access.Secrets;
import mailroom.http.CredentialThrottle;
import mailroom.http.Pipeline;
import mailroom.http.RequestBodies;
import mailroom.http.RequestMetrics;

/**
 * The operator door's routes on the shared {@link Pipeline}: bearer operator token (401, 429 after repeated
 * failures from one address), role (a viewer
 * writing is 403), tenant scope (a scoped token is 403 on server-wide routes and finds no other tenant: 404),
 * then the handler; every other path below /admin/v1 is a 404 or 405 problem.
 */
final class AdminRouter {
    static final String ROOT = "/admin/v1";

    /** What a route does to the directory: only admins write; ADMIN routes (the sandbox controls) are for admins only, reads too. */
    enum Access { READ, WRITE, ADMIN }

    /**
     * Whether a route is about one tenant (its path names {key}), about the server (tenants, tokens), or
     * server-wide but open to a scoped token, which it answers with that token's tenant only (the change feed).
     */
    enum Scope { SERVER, TENANT, ANY }

    @FunctionalInterface
    interface Endpoint {
        Reply handle(AdminCall call) throws Exception;
    }

    /** A success answer: a JSON body (null for 204), or raw bytes of another content type, and a Location. */
    record Reply(int status, Object body, String location, String contentType, byte[] raw) {
        static Reply ok(Object body) {
            return new Reply(200, body, null, null, null);
        }

        static Reply created(String location, Object body) {
            return new Reply(201, body, location, null, null);
        }

        static Reply noContent() {
            return new Reply(204, null, null, null, null);
        }

        static Reply raw(String contentType, byte[] bytes) {
            return new Reply(200, null, null, contentType, bytes);
        }
    }

    /** One route: method, path below /admin/v1, who may call it, the most body bytes it reads, and the handler. */
    record Route(String root, Method method, String path, Access access, Scope scope, int bodyCap, Endpoint endpoint) {
        String describe() {
            return method.text() + " " + root + path;
        }

        /** The route table's "requires" column: the role, and "/server" for server-wide routes. */
        String requires() {
            return (access == Access.READ ? "viewer" : "admin") + switch (scope) {
                case SERVER -> "/server";
                case TENANT -> "";
                case ANY -> "/any";
            };
        }

        Pattern pattern() {
            return Pattern.compile((root + path).replaceAll("\\{[a-z_]+}", "[^/]+"));
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final String root;
    private final OperatorTokens tokens;
    private final CredentialThrottle throttle;
    private final RequestMetrics metrics;
    private final Pipeline pipeline;

    AdminRouter(OperatorTokens tokens, CredentialThrottle throttle, RequestMetrics metrics) {
        this(ROOT, "admin", tokens, throttle, metrics);
    }

    /** A router of operator-token routes below another root (the sandbox controls), counted under its own door label. */
    AdminRouter(String root, String door, OperatorTokens tokens, CredentialThrottle throttle, RequestMetrics metrics) {
        this.root = root;
        this.tokens = tokens;
        this.throttle = throttle;
        this.metrics = metrics;
        this.pipeline = new Pipeline(door, "X-Request-Id", metrics);
    }

    void route(Method method, String path, Access access, Scope scope, Endpoint endpoint) {
        route(method, path, access, scope, RequestBodies.MAX_BYTES, endpoint);
    }

    /** A route that reads bodies of up to {@code bodyCap} bytes (an upload) instead of the pipeline's default. */
    void route(Method method, String path, Access access, Scope scope, int bodyCap, Endpoint endpoint) {
        if (scope == Scope.TENANT && !path.startsWith("/tenants/{key}")) {
            throw new IllegalArgumentException("a tenant route must start with /tenants/{key}: " + path);
        }
        routes.add(new Route(root, method, path, access, scope, bodyCap, endpoint));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    void register(HttpRouting.Builder http) {
        AdminAnswers answers = new AdminAnswers();
        for (Route route : routes) {
            http.route(route.method(), root + route.path(), pipeline.handler(route.describe(), route.bodyCap(), answers,
                    this::authenticate,
                    (exchange, token) -> serve(route, exchange, token)));
        }
        List<Pattern> patterns = routes.stream().map(Route::pattern).toList();
        Handler unknown = pipeline.bodiless(RequestMetrics.UNMATCHED, answers, (exchange, none) -> {
            String path = exchange.request().path().path();
            boolean known = patterns.stream().anyMatch(p -> p.matcher(path).matches());
            return known ? AdminAnswers.problem(AdminErrors.Problem.METHOD_NOT_ALLOWED, "no " + exchange.request().prologue()
                    .method().text() + " on " + path, null)
                    : AdminAnswers.problem(AdminErrors.Problem.NOT_FOUND, "no route " + path, null);
        });
        for (String path : List.of(root, root + "/", root + "/{+rest}")) http.any(path, unknown);
    }

    private Pipeline.Answer serve(Route route, Pipeline.Exchange exchange, OperatorToken token) throws Exception {
        if (route.access() != Access.READ && token.role() != OperatorToken.Role.ADMIN) {
            throw new AdminException(AdminErrors.Problem.FORBIDDEN, route.access() == Access.WRITE ? "a viewer token may only read"
                    : "only an admin token may use " + root);
        }
        if (route.scope() == Scope.SERVER && token.tenantKey() != null) {
            throw new AdminException(AdminErrors.Problem.FORBIDDEN, "a token scoped to tenant " + token.tenantKey()
                    + " may not use server-wide routes");
        }
        AdminCall call = new AdminCall(exchange, token);
        exchange.state(call);
        if (route.scope() == Scope.TENANT && !token.sees(call.path("key"))) {
            // The same answer as for a tenant that does not exist: a scoped token learns nothing of others.
            throw AdminException.notFound("tenant not found");
        }
        Reply reply = route.endpoint().handle(call);
        if (reply.location() != null) exchange.header("Location", reply.location());
        if (reply.raw() != null) return new Pipeline.Answer(reply.status(), "", reply.contentType(), reply.raw());
        return reply.body() == null ? Pipeline.Answer.empty(reply.status(), "") : AdminAnswers.json(reply.status(), reply.body());
    }

    private OperatorToken authenticate(Pipeline.Exchange exchange) {
        String value = exchange.request().headers().first(HeaderNames.AUTHORIZATION).orElse("").trim();
        if (value.isEmpty()) throw new AdminException(AdminErrors.Problem.UNAUTHORIZED, "no operator token: send Authorization: Bearer <token>");
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw new AdminException(AdminErrors.Problem.UNAUTHORIZED, "the Authorization header must be Bearer <token>");
        }
        String presented = value.substring(7).trim();
        // Failed tokens are throttled per client address (docs/adr/0011). A token that worked from this address lately
        // is held to its own failures only, so that guesses from behind the same proxy do not lock its operator out;
        // the key holds a hash of the token, never the token.
        String addressKey = "address " + exchange.clientAddress();
        String pairKey = "token " + Secrets.hashToken(presented) + " at " + exchange.clientAddress();
        boolean proven = throttle.isProven(pairKey);
        Optional<Long> wait = proven ? throttle.check(pairKey) : throttle.check(addressKey);
        if (wait.isPresent()) {
            exchange.header("Retry-After", Long.toString(wait.get()));
            metrics.rateLimited(pipeline.door(), exchange.route());
            throw new AdminException(AdminErrors.Problem.RATE_LIMITED, "too many failed operator tokens from "
                    + exchange.clientAddress() + "; try again in " + wait.get() + " s");
        }
        Optional<OperatorToken> token = tokens.authenticate(presented);
        if (token.isEmpty()) {
            throttle.failed(addressKey, proven ? pairKey : null);
            throw new AdminException(AdminErrors.Problem.UNAUTHORIZED, "unknown or revoked operator token");
        }
        throttle.proven(pairKey);
        return token.get();
    }
}
