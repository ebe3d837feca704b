package mailroom.api.feishu;

import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.directory.tenant.Tenants;
import mailroom.http.Json;
import mailroom.http.Pipeline;
import mailroom.http.RequestMetrics;

/** The self-built-app token endpoints (spec §1.2): fields at the top level, bad credentials as HTTP 200 code 10003. */
final class FeishuAuthApi {
    static final String TENANT_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
    static final String APP_TOKEN_PATH = "/open-apis/auth/v3/app_access_token/internal";

    private record Credentials(String appId, String appSecret) {}

    private final Tenants tenants;
    private final FeishuTokens tokens;
    private final Pipeline pipeline;

    FeishuAuthApi(Tenants tenants, FeishuTokens tokens, RequestMetrics metrics) {
        this.tenants = tenants;
        this.tokens = tokens;
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
        Optional<App> app = credentials(exchange.body()).flatMap(c -> tenants.app(c.appId())
                .filter(a -> Secrets.verifyPassword(c.appSecret(), a.secretHash())));
        if (app.isEmpty()) return FeishuAnswers.Token.invalidParam();
        FeishuTokens.Issued issued = tokens.issue(kind, app.get().appId(), app.get().tenantKey());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("msg", "ok");
        body.put(field, issued.token());
        body.put("expire", issued.expireSeconds());
        return FeishuAnswers.json(200, "0", body);
    }

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
