package mailroom.api.feishu;

import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.directory.tenant.Tenants;
import mailroom.http.CredentialThrottle;
import mailroom.http.Json;
import mailroom.http.Pipeline;
import mailroom.http.RequestMetrics;

/**
 * The self-built-app token endpoints (spec §1.2): fields at the top level, bad credentials as HTTP 200 code
 * 10003. Failed attempts are throttled per app id and per client address (docs/adr/0011), refused in the
 * gateway's rate-limit shape; an unknown app id costs the same PBKDF2 as a wrong secret.
 */
final class FeishuAuthApi {
    static final String TENANT_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
    static final String APP_TOKEN_PATH = "/open-apis/auth/v3/app_access_token/internal";

    private record Credentials(String appId, String appSecret) {}

    private final Tenants tenants;
    private final FeishuTokens tokens;
    private final CredentialThrottle throttle;
    private final RequestMetrics metrics;
    private final Pipeline pipeline;

    FeishuAuthApi(Tenants tenants, FeishuTokens tokens, CredentialThrottle throttle, RequestMetrics metrics) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.throttle = throttle;
        this.metrics = metrics;
        // Counted apart from the mail endpoints: these answers have no Feishu error envelope to count by.
        this.pipeline = new Pipeline("auth", FeishuAnswers.LOG_ID_HEADER, metrics);
    }

    void register(HttpRouting.Builder http) {
        Pipeline.Renderer renderer = new FeishuAnswers.Token();
        for (String suffix : new String[]{"", "/"}) {
            http.post(TENANT_TOKEN_PATH + suffix, pipeline.handler("POST " + TENANT_TOKEN_PATH, renderer, Pipeline.Authenticator.NONE,
                    (exchange, none) -> issue(exchange, "t", "tenant_access_token")));
            http.post(APP_TOKEN_PATH + suffix, pipeline.handler("POST " + APP_TOKEN_PATH, renderer, Pipeline.Authenticator.NONE,
                    (exchange, none) -> issue(exchange, "a", "app_access_token")));
        }
    }

    private Pipeline.Answer issue(Pipeline.Exchange exchange, String kind, String field) {
        Optional<Credentials> credentials = credentials(exchange.body());
        if (credentials.isEmpty()) return FeishuAnswers.Token.invalidParam();
        String appId = credentials.get().appId();
        String address = exchange.clientAddress();
        String appKey = "app " + appId;
        String addressKey = "address " + address;
        String pairKey = "app " + appId + " at " + address;
        // A client that gave this app's right secret from this address lately is held to its own failures only, not
        // locked out by other people's guesses at the app id or from the same address (a NAT, a proxy); its failures
        // still count against all three keys.
        boolean proven = throttle.isProven(pairKey);
        Optional<Long> wait = proven ? throttle.check(pairKey) : throttle.check(appKey, addressKey);
        if (wait.isPresent()) {
            exchange.header("x-ogw-ratelimit-limit", Integer.toString(throttle.burst()));
            exchange.header("x-ogw-ratelimit-reset", Long.toString(wait.get()));
            metrics.rateLimited(pipeline.door(), exchange.route());
            return FeishuAnswers.error(exchange, FeishuErrors.RATE_LIMITED, Map.of());
        }
        Optional<App> app = tenants.app(appId);
        if (!Secrets.verifyPassword(credentials.get().appSecret(), app.map(App::secretHash))) {
            throttle.failed(appKey, addressKey, proven ? pairKey : null);
            return FeishuAnswers.Token.invalidParam();
        }
        throttle.proven(pairKey);
        FeishuTokens.Issued issued = tokens.issue(kind, app.get().appId(), app.get().tenantKey());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("msg", "ok");
        body.put(field, issued.token());
        body.put("expire", issued.expireSeconds());
        return FeishuAnswers.json(200, "0", body);
    }

    /** The client's IP address as the server saw it (no proxy header is trusted: anyone could send one). */
    private static Optional<Credentials> credentials(byte[] body) {
        try {
            Credentials c = Json.MAPPER.readValue(body, Credentials.class);
            if (c == null || c.appId() == null || c.appSecret() == null) return Optional.empty();
            // No app id holds NUL, and PostgreSQL could not even compare one that does.
            if (c.appId().indexOf('\0') >= 0 || c.appSecret().indexOf('\0') >= 0) return Optional.empty();
            return Optional.of(c);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
