package mailroom.api.feishu;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mailroom.api.FieldNames;
import mailroom.directory.Reason;
import mailroom.directory.access.App;
import mailroom.directory.tenant.Tenants;
import mailroom.http.Pipeline;
import mailroom.http.RequestMetrics;

/**
 * The Feishu mail endpoints on the shared {@link Pipeline}: the door plugs in its token check, then scopes,
 * rate limit, handler and the {@code code/msg/data} envelope; refusals are answered by {@link FeishuAnswers}
 * from {@link FeishuErrors}.
 */
public final class FeishuRouter {
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

    /**
     * {@code fieldOverrides} answer a reason about one request field (keyed "REASON field", the field's first
     * segment without index) with its own code; {@code fields} names the directory's fields as this route's body does.
     */
    public record Route(Method method, String path, List<String> scopes, String rate,
                        Map<Reason, FeishuError> overrides, Map<String, FeishuError> fieldOverrides, FieldNames fields,
                        Endpoint endpoint) {
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
        private final Map<String, FeishuError> fieldOverrides = new LinkedHashMap<>();
        private FieldNames fields = FeishuErrors.FIELDS;

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

        /** The reason about this directory field (e.g. "name", "departments") answers with this error. */
        public RouteBuilder override(Reason reason, String field, FeishuError error) {
            fieldOverrides.put(reason.name() + " " + field, error);
            return this;
        }

        /** How the directory's field paths are named on this route's wire (default: the mail endpoints' names). */
        public RouteBuilder fields(FieldNames names) {
            this.fields = names;
            return this;
        }

        public void handle(Endpoint endpoint) {
            routes.add(new Route(method, path, scopes, rate, Map.copyOf(overrides), Map.copyOf(fieldOverrides), fields, endpoint));
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Tenants tenants;
    private final FeishuTokens tokens;
    private final RateGate rateGate;
    private final RequestMetrics metrics;
    private final Pipeline pipeline;

    public FeishuRouter(Tenants tenants, FeishuTokens tokens, RateGate rateGate, RequestMetrics metrics) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.rateGate = rateGate;
        this.metrics = metrics;
        this.pipeline = new Pipeline("feishu", FeishuAnswers.LOG_ID_HEADER, metrics);
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
            http.route(route.method(), route.path().replaceAll(":([a-z_]+)", "{$1}"),
                    pipeline.handler(route.describe(), new FeishuAnswers(route.overrides(), route.fieldOverrides(), route.fields(),
                                    RateLimits.documented(route).windows().get(0)), this::authenticate,
                            (exchange, app) -> serve(route, exchange, app)));
        }
    }

    /** The door's part of the pipeline after authentication: scopes, rate limit, handler, envelope. */
    private Pipeline.Answer serve(Route route, Pipeline.Exchange exchange, App app) throws Exception {
        authorise(route, app);
        Optional<long[]> refusal = rateGate.refuse(route, app);
        if (refusal.isPresent()) {
            exchange.header("x-ogw-ratelimit-limit", Long.toString(refusal.get()[0]));
            exchange.header("x-ogw-ratelimit-reset", Long.toString(refusal.get()[1]));
            metrics.rateLimited(pipeline.door(), route.describe());
            throw new FeishuException(FeishuErrors.RATE_LIMITED);
        }
        Object result = route.endpoint().handle(new FeishuCall(exchange.request(), exchange.body(), app, exchange.id()));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", 0);
        if (result instanceof Reply reply) {
            envelope.put("msg", reply.msg());
            envelope.put("data", reply.data() == null ? Map.of() : reply.data());
        } else {
            envelope.put("msg", "success");
            envelope.put("data", result == null ? Map.of() : result);
        }
        return FeishuAnswers.json(200, "0", envelope);
    }

    private App authenticate(Pipeline.Exchange exchange) {
        String header = exchange.request().headers().first(HeaderNames.AUTHORIZATION).orElse("");
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
}
