package mailroom.api.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mailroom.directory.access.App;
import mailroom.directory.tenant.RateQuota;
import mailroom.seed.SeedFile;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;

/** Feishu's per-app, per-endpoint rate limits (`--rate-limits documented`), their 429 answer, and seed overrides. */
class FeishuRateLimitTest {
    private static final String RELEASE = "/open-apis/mail/v1/user_mailboxes/alice@acme.test";
    private static final String QUERY = "/open-apis/mail/v1/users/query";
    private static final String QUERY_BODY = "{\"email_list\":[\"alice@acme.test\"]}";

    /** The contract seed, with rate limits on and the given overrides for tenant acme. */
    private static MailroomServer start(boolean rateLimits, Map<String, String> acmeOverrides) {
        MailroomServer.Options o = TestServers.options(TestServers.Backend.SQLITE, null);
        List<SeedFile.TenantSeed> tenants = o.seeds().get(0).tenants().stream().map(t -> !t.key().equals("acme") ? t
                : new SeedFile.TenantSeed(t.key(), t.name(), t.domains(), t.geo(), t.limits(), t.apps(), t.departments(),
                t.users(), t.hybridbox(), acmeOverrides)).toList();
        return MailroomServer.start(new MailroomServer.Options(o.host(), o.port(), o.dataDir(), o.databaseUrl(),
                List.of(new SeedFile(tenants)), rateLimits));
    }

    @Test
    void goingJustOverADocumentedLimitAnswers429WithFeishusBodyAndHeaders() {
        try (MailroomServer server = start(true, null)) {
            FeishuHttp http = new FeishuHttp(server.port());
            // #45 is documented as 20/min: twenty calls are served (and refused for their own reasons) ...
            for (int i = 0; i < 20; i++) {
                FeishuHttp.Response r = http.call("cli_full", "DELETE", RELEASE, null);
                assertThat(r.status()).as("call %d", i + 1).isEqualTo(400);
                assertThat(r.json().get("code").asInt()).isEqualTo(1230001);
                assertThat(r.header("x-ogw-ratelimit-limit")).isNull();
            }
            // ... the twenty-first is not.
            FeishuHttp.Response limited = http.call("cli_full", "DELETE", RELEASE, null);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("content-type")).isEqualTo("application/json; charset=utf-8");
            assertThat(limited.header("x-ogw-ratelimit-limit")).isEqualTo("20");
            assertThat(Integer.parseInt(limited.header("x-ogw-ratelimit-reset"))).isBetween(1, 60);
            JsonNode expected = FeishuHttp.JSON.createObjectNode().put("code", 99991400)
                    .put("msg", "request trigger frequency limit")
                    .set("error", FeishuHttp.JSON.createObjectNode().put("log_id", limited.header("x-tt-logid")));
            assertThat(limited.json()).isEqualTo(expected);
            // The limit is per app and per endpoint.
            assertThat(http.call("cli_nogeo", "DELETE", RELEASE, null).status()).isEqualTo(400);
            assertThat(http.call("cli_full", "POST", QUERY, QUERY_BODY).status()).isEqualTo(200);
            assertThat(http.call("cli_full", "DELETE", "/open-apis/mail/v1/user_mailboxes/bob@acme.test", null).status())
                    .as("another path of the same endpoint shares its quota").isEqualTo(429);
        }
    }

    @Test
    void withRateLimitsOffTheSameBurstIsNeverRefused() {
        try (MailroomServer server = start(false, null)) {
            FeishuHttp http = new FeishuHttp(server.port());
            for (int i = 0; i < 25; i++) {
                FeishuHttp.Response r = http.call("cli_full", "DELETE", RELEASE, null);
                assertThat(r.status()).as("call %d", i + 1).isEqualTo(400);
                assertThat(r.header("x-ogw-ratelimit-limit")).isNull();
            }
        }
    }

    @Test
    void aSeededOverrideReplacesTheDocumentedQuotaForThatTenantOnly() {
        try (MailroomServer server = start(true, Map.of("POST " + QUERY, "2/min"))) {
            assertThat(server.directory().tenants().rateLimits("acme")).isEqualTo(Map.of("POST " + QUERY, RateQuota.parse("2/min")));
            FeishuHttp http = new FeishuHttp(server.port());
            // Calls refused before the gate (no token, wrong token) do not use the quota.
            for (int i = 0; i < 3; i++) {
                assertThat(http.call(null, "POST", QUERY, QUERY_BODY).json().get("code").asInt()).isEqualTo(99991661);
                assertThat(http.send("POST", QUERY, "Bearer t-forged", QUERY_BODY).json().get("code").asInt()).isEqualTo(99991663);
            }
            assertThat(http.call("cli_full", "POST", QUERY, QUERY_BODY).status()).isEqualTo(200);
            assertThat(http.call("cli_full", "POST", QUERY, QUERY_BODY).status()).isEqualTo(200);
            FeishuHttp.Response limited = http.call("cli_full", "POST", QUERY, QUERY_BODY);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().get("code").asInt()).isEqualTo(99991400);
            assertThat(limited.header("x-ogw-ratelimit-limit")).isEqualTo("2");
            assertThat(Integer.parseInt(limited.header("x-ogw-ratelimit-reset"))).isBetween(1, 60);
            // Tenant tiny has no override: users/query keeps its documented 20/s.
            String tinyBody = "{\"email_list\":[\"tom@tiny.test\"]}";
            for (int i = 0; i < 3; i++) assertThat(http.call("cli_tiny", "POST", QUERY, tinyBody).status()).isEqualTo(200);
        }
    }

    @Test
    void compoundQuotasRefuseByTheFullWindowAndChargeNoOtherWindow() throws Exception {
        String list = "GET /open-apis/mail/v1/public_mailboxes";
        try (MailroomServer server = start(true, Map.of(list, "2/s & 3/min"))) {
            RateLimits limits = new RateLimits(server.directory().tenants(), java.time.Clock.systemUTC());
            FeishuRouter.Route route = server.feishu().mailRoutes().stream().filter(r -> r.describe().equals(list)).findFirst().orElseThrow();
            App app = server.directory().tenants().app("cli_full").orElseThrow();
            assertThat(limits.quota(route, "acme")).isEqualTo(RateQuota.parse("2/s & 3/min"));
            assertThat(limits.refuse(route, app)).isEmpty();
            assertThat(limits.refuse(route, app)).isEmpty();
            Optional<long[]> perSecond = limits.refuse(route, app);
            assertThat(perSecond).isPresent();
            assertThat(perSecond.get()[0]).isEqualTo(2);
            assertThat(perSecond.get()[1]).isEqualTo(1);
            Thread.sleep(1100);
            assertThat(limits.refuse(route, app)).as("the refused call used none of the minute's 3").isEmpty();
            Optional<long[]> perMinute = limits.refuse(route, app);
            assertThat(perMinute).isPresent();
            assertThat(perMinute.get()[0]).isEqualTo(3);
            assertThat(perMinute.get()[1]).isBetween(1L, 60L);
            assertThat(limits.refuse(route, app)).as("the second's token was given back, the minute still refuses").isPresent();
        }
    }

    @Test
    void everyRouteHasAQuotaAndSpecialMeansFiftyPerSecond() {
        try (MailroomServer server = TestServers.start(TestServers.Backend.SQLITE)) {
            for (FeishuRouter.Route route : server.feishu().mailRoutes()) {
                assertThat(RateLimits.documented(route)).as(route.describe()).isNotNull();
            }
            FeishuRouter.Route get = server.feishu().mailRoutes().stream()
                    .filter(r -> r.describe().equals("GET /open-apis/mail/v1/public_mailboxes/:public_mailbox_id")).findFirst().orElseThrow();
            assertThat(get.rate()).isEqualTo("Special");
            assertThat(RateLimits.documented(get)).isEqualTo(RateQuota.parse("50/s"));
        }
    }

    @Test
    void anOverrideForARouteThatDoesNotExistStopsTheServerFromStarting() {
        assertThatThrownBy(() -> start(true, Map.of("POST /open-apis/mail/v1/nothing", "5/s")))
                .isInstanceOf(mailroom.server.StartupFailure.class)
                .hasMessage("tenants[0] (acme): rate_limits[\"POST /open-apis/mail/v1/nothing\"]: not a Feishu route"
                        + " (write it like \"POST /open-apis/mail/v1/public_mailboxes\")");
    }
}
