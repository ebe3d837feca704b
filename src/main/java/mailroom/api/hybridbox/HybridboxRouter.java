package mailroom.api.hybridbox;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import mailroom.directory.DirectoryException;
import mailroom.directory.access.ServiceAccounts.Principal;
import mailroom.directory.access.ServiceAccounts;
import mailroom.server.Json;
import mailroom.server.LogIds;
import mailroom.server.RequestBodies;
import mailroom.server.RequestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hybridbox door's request pipeline, the same for every route: body cap, bearer token (401), account
 * id shape (422), account match (404, so another account's objects are never confirmed), capability (403),
 * handler, then the answer — or one refusal, from {@link HybridboxErrors} for directory refusals.
 * Every answer is reported to {@link RequestMetrics} here, by route template and status.
 */
public final class HybridboxRouter {
    private static final Logger LOG = LoggerFactory.getLogger(HybridboxRouter.class);
    static final String PREFIX = "/v1/public/accounts/{account_id}";
    static final String CONTENT_TYPE = "application/json";

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
    private final RequestMetrics metrics;

    HybridboxRouter(ServiceAccounts serviceAccounts, RequestMetrics metrics) {
        this.serviceAccounts = serviceAccounts;
        this.metrics = metrics;
    }

    void route(Method method, String path, String capability, Endpoint endpoint) {
        routes.add(new Route(method, path, capability, endpoint));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Registers every route, then answers other /v1/public paths like FastAPI does (404 or 405, JSON). */
    void register(HttpRouting.Builder http) {
        for (Route route : routes) http.route(route.method(), PREFIX + route.path(), (req, res) -> serve(route, req, res));
        List<Pattern> patterns = routes.stream().map(Route::pattern).toList();
        http.any("/v1/public/{+rest}", (req, res) -> {
            long started = System.nanoTime();
            String path = req.path().path();
            boolean known = patterns.stream().anyMatch(p -> p.matcher(path).matches());
            int status = known ? 405 : 404;
            try {
                send(res, status, Map.of("detail", known ? "Method Not Allowed" : "Not Found"));
            } finally {
                metrics.served("hybridbox", RequestMetrics.UNMATCHED, status, "", started);
            }
        });
    }

    private void serve(Route route, ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        int status = 500;
        HybridboxCall call = null;
        try {
            byte[] body = RequestBodies.read(req);
            Principal principal = authenticate(req);
            String accountId = req.path().pathParameters().get("account_id");
            call = new HybridboxCall(req, body, principal);
            call.pathUuid("account_id");
            if (!accountId.equalsIgnoreCase(principal.accountId())) throw HybridboxException.notFound("Account not found");
            if (!principal.can(route.capability())) {
                throw HybridboxException.forbidden("Missing capability: " + route.capability());
            }
            Reply reply = route.endpoint().handle(call);
            status = reply.status();
            send(res, status, reply.body());
        } catch (DirectoryException e) {
            HybridboxErrors.Answer answer = HybridboxErrors.of(e, call == null ? null : call.parsedBody());
            status = answer.status();
            send(res, status, Map.of("detail", answer.detail()));
        } catch (HybridboxException e) {
            if (e.status() == 401) res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            status = e.status();
            send(res, status, Map.of("detail", e.detail()));
        } catch (RequestBodies.TooLarge e) {
            status = 413;
            send(res, status, Map.of("detail", "Request body exceeds " + RequestBodies.MAX_BYTES + " bytes"));
        } catch (Exception e) {
            String errorId = LogIds.next();
            LOG.error("unexpected failure, error_id={} route={}", errorId, route.describe(), e);
            status = 500;
            send(res, status, Map.of("detail", "Internal Server Error", "error_id", errorId));
        } finally {
            metrics.served("hybridbox", route.describe(), status, "", started);
        }
    }

    private Principal authenticate(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        String value = header.orElse("").trim();
        if (value.isEmpty()) throw HybridboxException.unauthenticated("Not authenticated");
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
            throw HybridboxException.unauthenticated("Invalid authentication credentials");
        }
        return serviceAccounts.authenticate(value.substring(7).trim())
                .orElseThrow(() -> HybridboxException.unauthenticated("Invalid or expired token"));
    }

    static void send(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        if (body == null) {
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        res.send(Json.bytes(body));
    }
}
