package mailroom.api.feishu;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.directory.tenant.Tenants;
import mailroom.server.Json;
import mailroom.server.LogIds;
import mailroom.server.RequestBodies;
import mailroom.server.RequestMetrics;

/** The self-built-app token endpoints (spec §1.2): fields at the top level, bad credentials as HTTP 200 code 10003. */
final class FeishuAuthApi {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeishuAuthApi.class);
    static final String TENANT_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
    static final String APP_TOKEN_PATH = "/open-apis/auth/v3/app_access_token/internal";

    private record Credentials(String appId, String appSecret) {}

    private final Tenants tenants;
    private final FeishuTokens tokens;
    private final RequestMetrics metrics;

    FeishuAuthApi(Tenants tenants, FeishuTokens tokens, RequestMetrics metrics) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    void register(HttpRouting.Builder http) {
        for (String suffix : new String[]{"", "/"}) {
            http.post(TENANT_TOKEN_PATH + suffix, (req, res) -> issue(req, res, "t", "tenant_access_token", TENANT_TOKEN_PATH));
            http.post(APP_TOKEN_PATH + suffix, (req, res) -> issue(req, res, "a", "app_access_token", APP_TOKEN_PATH));
        }
    }

    private void issue(ServerRequest req, ServerResponse res, String kind, String field, String path) {
        long started = System.nanoTime();
        String logId = LogIds.next();
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<App> app;
        try {
            app = credentials(req).flatMap(c -> tenants.app(c.appId())
                    .filter(a -> Secrets.verifyPassword(c.appSecret(), a.secretHash())));
        } catch (RuntimeException e) {
            LOG.error("unexpected failure, log_id={} route=POST {}", logId, path, e);
            body.put("code", FeishuErrors.INTERNAL.code());
            body.put("msg", FeishuErrors.INTERNAL.msg());
            body.put("error", Map.of("log_id", logId, "message", "unexpected server error, log_id " + logId));
            try {
                FeishuRouter.send(res, FeishuErrors.INTERNAL.httpStatus(), logId, body);
            } finally {
                metrics.served("auth", "POST " + path, FeishuErrors.INTERNAL.httpStatus(),
                        Integer.toString(FeishuErrors.INTERNAL.code()), started);
            }
            return;
        }
        if (app.isEmpty()) {
            body.put("code", 10003);
            body.put("data", Map.of());
            body.put("msg", "invalid param");
        } else {
            FeishuTokens.Issued issued = tokens.issue(kind, app.get().appId(), app.get().tenantKey());
            body.put("code", 0);
            body.put("msg", "ok");
            body.put(field, issued.token());
            body.put("expire", issued.expireSeconds());
        }
        try {
            FeishuRouter.send(res, 200, logId, body);
        } finally {
            metrics.served("auth", "POST " + path, 200, body.get("code").toString(), started);
        }
    }

    private static Optional<Credentials> credentials(ServerRequest req) {
        try {
            Credentials c = Json.MAPPER.readValue(RequestBodies.read(req), Credentials.class);
            if (c == null || c.appId() == null || c.appSecret() == null) return Optional.empty();
            // No app id holds NUL, and PostgreSQL could not even compare one that does.
            if (c.appId().indexOf('\0') >= 0 || c.appSecret().indexOf('\0') >= 0) return Optional.empty();
            return Optional.of(c);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
