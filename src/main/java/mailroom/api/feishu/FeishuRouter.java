package mailroom.api.feishu;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.*;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.access.App;
import mailroom.directory.tenant.Tenants;
import mailroom.server.Json;
import mailroom.server.LogIds;
import mailroom.server.RequestBodies;
import mailroom.server.RequestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Feishu door's request pipeline, the same for every mail endpoint: log id, body cap, token,
 * scopes, rate limit, handler, then the envelope — or one error answer taken from {@link FeishuErrors}.
 * Every answer is reported to {@link RequestMetrics} here, by route template and Feishu code.
 */
public final class FeishuRouter {
    private static final Logger LOG = LoggerFactory.getLogger(FeishuRouter.class);
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    /** Returns the response's {@code data}; may return a {@link Reply} to change {@code msg}. */
    @FunctionalInterface
    public interface Endpoint {
        Object handle(FeishuCall call) throws Exception;
    }

    public record Reply(Object data, String msg) {}

    /** Checks the per-app request rate of a route before the handler runs. */
    public interface RateGate {
        /** Empty to proceed; otherwise the limit and the seconds until it resets. */
        Optional<long[]> refuse(Route route, App app);
    }

    public record Route(Method method, String path, List<String> scopes, String rate,
                        Map<Reason, FeishuError> overrides, Endpoint endpoint) {
        /** Feishu's documented path with :params, as listed in routes.txt. */
        public String describe() {
            return method.text() + " " + path;
        }
    }

    /** Fluent description of one route, finished by {@link #handle}. */
    public final class RouteBuilder {
        private final Method method;
        private final String path;
        private List<String> scopes = List.of();
        private String rate = "Special";
        private final Map<Reason, FeishuError> overrides = new EnumMap<>(Reason.class);

        private RouteBuilder(Method method, String path) {
            this.method = method;
            this.path = path;
        }

        public RouteBuilder scopes(String... anyOf) {
            this.scopes = List.of(anyOf);
            return this;
        }

        public RouteBuilder rate(String documentedRate) {
            this.rate = documentedRate;
            return this;
        }

        public RouteBuilder override(Reason reason, FeishuError error) {
            overrides.put(reason, error);
            return this;
        }

        public void handle(Endpoint endpoint) {
            routes.add(new Route(method, path, scopes, rate, Map.copyOf(overrides), endpoint));
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Tenants tenants;
    private final FeishuTokens tokens;
    private final RateGate rateGate;
    private final RequestMetrics metrics;

    public FeishuRouter(Tenants tenants, FeishuTokens tokens, RateGate rateGate, RequestMetrics metrics) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.rateGate = rateGate;
        this.metrics = metrics;
    }

    public RouteBuilder route(Method method, String path) {
        return new RouteBuilder(method, path);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Registers every route on Helidon; specific paths were added before parameterised siblings. */
    public void register(HttpRouting.Builder http) {
        for (Route route : routes) {
            http.route(route.method(), route.path().replaceAll(":([a-z_]+)", "{$1}"), (req, res) -> serve(route, req, res));
        }
    }

    private void serve(Route route, ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        String logId = LogIds.next();
        FeishuError failure = null;
        try {
            byte[] body = RequestBodies.read(req);
            App app = authenticate(req);
            authorise(route, app);
            Optional<long[]> refusal = rateGate.refuse(route, app);
            if (refusal.isPresent()) {
                res.header(HeaderNames.create("x-ogw-ratelimit-limit"), Long.toString(refusal.get()[0]));
                res.header(HeaderNames.create("x-ogw-ratelimit-reset"), Long.toString(refusal.get()[1]));
                metrics.rateLimited("feishu", route.describe());
                throw new FeishuException(FeishuErrors.RATE_LIMITED);
            }
            Object result = route.endpoint().handle(new FeishuCall(req, body, app, logId));
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("code", 0);
            if (result instanceof Reply reply) {
                envelope.put("msg", reply.msg());
                envelope.put("data", reply.data() == null ? Map.of() : reply.data());
            } else {
                envelope.put("msg", "success");
                envelope.put("data", result == null ? Map.of() : result);
            }
            send(res, 200, logId, envelope);
        } catch (DirectoryException e) {
            Map<String, Object> details = new LinkedHashMap<>();
            String message = FeishuErrors.FIELDS.message(e);
            details.put("message", message);
            if (e.field() != null) {
                details.put("field_violations", List.of(FeishuException.violation(FeishuErrors.FIELDS.path(e.field()), message)));
            }
            failure = FeishuErrors.of(e.reason(), route.overrides());
            sendError(res, logId, failure, details);
        } catch (FeishuException e) {
            failure = e.error();
            sendError(res, logId, failure, e.errorDetails());
        } catch (RequestBodies.TooLarge e) {
            FeishuException fe = FeishuException.fieldViolation("body", e.getMessage());
            failure = fe.error();
            sendError(res, logId, failure, fe.errorDetails());
        } catch (Exception e) {
            LOG.error("unexpected failure, log_id={} route={}", logId, route.describe(), e);
            failure = FeishuErrors.INTERNAL;
            sendError(res, logId, failure, Map.of("message", "unexpected server error, log_id " + logId));
        } finally {
            metrics.served("feishu", route.describe(), failure == null ? 200 : failure.httpStatus(),
                    failure == null ? "0" : Integer.toString(failure.code()), started);
        }
    }

    private App authenticate(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!header.startsWith("Bearer ") || header.substring(7).isBlank()) {
            throw new FeishuException(FeishuErrors.MISSING_TOKEN);
        }
        FeishuTokens.Claims claims = tokens.verify(header.substring(7).trim())
                .filter(c -> c.kind().equals("t"))
                .orElseThrow(() -> new FeishuException(FeishuErrors.INVALID_TOKEN));
        return tenants.app(claims.appId())
                .filter(app -> app.tenantKey().equals(claims.tenantKey()))
                .orElseThrow(() -> new FeishuException(FeishuErrors.INVALID_TOKEN));
    }

    private static void authorise(Route route, App app) {
        if (route.scopes().isEmpty() || route.scopes().stream().anyMatch(app.scopes()::contains)) return;
        throw noScope(route.scopes());
    }

    static FeishuException noScope(List<String> anyOf) {
        List<Map<String, String>> violations = anyOf.stream()
                .map(s -> Map.of("type", "action_scope_required", "subject", s,
                        "description", "The app needs the scope " + s)).toList();
        FeishuError error = FeishuErrors.NO_SCOPE.withMsg(String.format(FeishuErrors.NO_SCOPE.msg(),
                "[" + String.join(", ", anyOf) + "]"));
        return new FeishuException(error, Map.of("permission_violations", violations));
    }

    private static void sendError(ServerResponse res, String logId, FeishuError error, Map<String, Object> details) {
        Map<String, Object> errorObject = new LinkedHashMap<>();
        errorObject.put("log_id", logId);
        errorObject.putAll(details);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", error.code());
        envelope.put("msg", error.msg());
        envelope.put("error", errorObject);
        send(res, error.httpStatus(), logId, envelope);
    }

    static void send(ServerResponse res, int status, String logId, Object body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        res.header(HeaderNames.create("X-Tt-Logid"), logId);
        res.send(Json.bytes(body));
    }
}
