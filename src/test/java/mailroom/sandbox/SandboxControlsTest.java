package mailroom.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.OpenApi;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox controls of {@code mailroom serve --sandbox} (shared/specs/sandbox.md): who may use them, and that a
 * server without --sandbox has none of them; the clock and what moves with it.
 */
class SandboxControlsTest {
    static AdminHttp sandbox;
    static FeishuHttp http;

    @BeforeAll
    static void start() {
        sandbox = AdminHttp.start(Backend.SQLITE, o -> o.withSandbox(true), Clock.systemUTC());
        http = new FeishuHttp(sandbox.server().port());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void realTime() {
        assertThat(sandbox.send("POST", "/sandbox/v1/clock", "{\"reset\":true}").status()).isEqualTo(200);
    }

    @Test
    void withoutSandboxEverySandboxPathIsThePlatformsNotFoundAndHealthzIsUnchanged() {
        try (AdminHttp normal = AdminHttp.start(Backend.SQLITE)) {
            for (String[] call : List.of(new String[]{"POST", "/sandbox/v1/clock"}, new String[]{"GET", "/sandbox/v1/requests"},
                    new String[]{"DELETE", "/sandbox/v1/requests"}, new String[]{"POST", "/sandbox/v1/faults"},
                    new String[]{"GET", "/sandbox/v1/faults"}, new String[]{"DELETE", "/sandbox/v1/faults/flt_1"},
                    new String[]{"GET", "/sandbox/v1"}, new String[]{"POST", "/sandbox/v1/reset"},
                    new String[]{"POST", "/sandbox/v1/snapshots"}, new String[]{"GET", "/sandbox/v1/snapshots"},
                    new String[]{"POST", "/sandbox/v1/snapshots/snap_1/restore"}, new String[]{"DELETE", "/sandbox/v1/snapshots/snap_1"},
                    new String[]{"GET", "/openapi/sandbox.json"})) {
                FeishuHttp.Response r = normal.send(call[0], call[1], "{\"advance_s\":10}");
                assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(404);
                assertThat(r.text()).isEqualTo("404 page not found");
            }
            assertThat(normal.send("GET", "/healthz", null).text()).isEqualTo("{\"status\":\"ok\",\"store\":\"sqlite\"}");
            assertThat(normal.server().routes()).noneMatch(r -> r.door().equals("sandbox"));
        }
    }

    @Test
    void healthzSaysSandboxMode() {
        assertThat(http.send("GET", "/healthz", null, null).text()).isEqualTo("{\"status\":\"ok\",\"store\":\"sqlite\",\"mode\":\"sandbox\"}");
    }

    @Test
    void theControlsNeedAnAdminOperatorTokenAndAnswerTheOperatorDoorsProblems() throws Exception {
        FeishuHttp.Response none = sandbox.sendAs(null, "GET", "/sandbox/v1/requests", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("content-type")).isEqualTo("application/problem+json");
        assertThat(none.json().path("type").asText()).isEqualTo("urn:mailroom:problem:unauthorized");
        String viewer = sandbox.send("POST", "/admin/v1/operator-tokens", "{\"name\":\"watcher\",\"role\":\"viewer\"}")
                .json().path("token").asText();
        for (String[] call : List.of(new String[]{"GET", "/sandbox/v1/requests"}, new String[]{"GET", "/sandbox/v1/faults"},
                new String[]{"POST", "/sandbox/v1/clock"})) {
            FeishuHttp.Response r = sandbox.sendAs("Bearer " + viewer, call[0], call[1], "{\"advance_s\":5}");
            assertThat(r.status()).as(call[1]).isEqualTo(403);
            assertThat(r.json().path("type").asText()).isEqualTo("urn:mailroom:problem:forbidden");
            assertThat(r.json().path("detail").asText()).isEqualTo("only an admin token may use /sandbox/v1");
            assertThat(OpenApi.of("sandbox").problems(call[0], call[1], r)).isEmpty();
        }
        String scoped = sandbox.send("POST", "/admin/v1/operator-tokens", "{\"name\":\"acme-admin\",\"role\":\"admin\",\"tenant\":\"acme\"}")
                .json().path("token").asText();
        assertThat(sandbox.sendAs("Bearer " + scoped, "GET", "/sandbox/v1/faults", null).status()).isEqualTo(403);
        FeishuHttp.Response unknown = sandbox.send("GET", "/sandbox/v1/nosuch", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("type").asText()).isEqualTo("urn:mailroom:problem:not-found");
        FeishuHttp.Response wrongMethod = sandbox.send("PUT", "/sandbox/v1/clock", "{}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        FeishuHttp.Response ok = sandbox.send("GET", "/sandbox/v1/faults", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("content-type")).isEqualTo("application/json");
        assertThat(ok.header("x-request-id")).isNotBlank();
    }

    @Test
    void theClockAdvancesIsSetAndResets() {
        Instant before = Instant.now();
        FeishuHttp.Response answer = sandbox.send("POST", "/sandbox/v1/clock", "{\"advance_s\":3600}");
        assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/clock", answer)).as("against openapi/sandbox.json").isEmpty();
        JsonNode advanced = answer.json();
        assertThat(Instant.parse(advanced.path("now").asText())).isBetween(before.plusSeconds(3599), before.plusSeconds(3700));
        JsonNode set = sandbox.send("POST", "/sandbox/v1/clock", "{\"set\":\"2027-01-01T00:00:00Z\"}").json();
        assertThat(Instant.parse(set.path("now").asText())).isBetween(Instant.parse("2027-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:05Z"));
        JsonNode reset = sandbox.send("POST", "/sandbox/v1/clock", "{\"reset\":true}").json();
        assertThat(Instant.parse(reset.path("now").asText())).isBetween(before, Instant.now().plusSeconds(1));
        for (String bad : List.of("{}", "{\"advance_s\":\"10\"}", "{\"set\":\"tomorrow\"}", "{\"reset\":false}",
                "{\"advance_s\":1,\"reset\":true}", "{\"when\":1}", "[]")) {
            FeishuHttp.Response r = sandbox.send("POST", "/sandbox/v1/clock", bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("type").asText()).as(bad).isEqualTo("urn:mailroom:problem:validation");
            assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/clock", r)).as(bad).isEmpty();
        }
    }

    @Test
    void movingTheClockPastAFeishuTokensExpireMakesTheNextCallAnInvalidToken() {
        FeishuHttp client = new FeishuHttp(sandbox.server().port());
        FeishuHttp.Response token = client.send("POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                "{\"app_id\":\"cli_full\",\"app_secret\":\"" + FeishuHttp.SECRETS.get("cli_full") + "\"}");
        long expire = token.json().path("expire").asLong();
        String bearer = "Bearer " + token.json().path("tenant_access_token").asText();
        String groups = "/open-apis/mail/v1/mailgroups?page_size=1";
        assertThat(client.send("GET", groups, bearer, null).json().path("code").asInt()).isZero();
        sandbox.send("POST", "/sandbox/v1/clock", "{\"advance_s\":" + (expire - 60) + "}");
        assertThat(client.send("GET", groups, bearer, null).json().path("code").asInt()).as("a minute before it expires").isZero();
        sandbox.send("POST", "/sandbox/v1/clock", "{\"advance_s\":61}");
        FeishuHttp.Response expired = client.send("GET", groups, bearer, null);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().path("code").asInt()).isEqualTo(99991663);
        sandbox.send("POST", "/sandbox/v1/clock", "{\"reset\":true}");
        assertThat(client.send("GET", groups, bearer, null).json().path("code").asInt()).as("back in its lifetime").isZero();
    }

    @Test
    void movingTheClockPastAServiceAccountsExpiresAtMakesHybridboxAnswer401() {
        String expires = Instant.now().plusSeconds(3600).toString();
        String token = sandbox.send("POST", "/admin/v1/tenants/acme/service-accounts", "{\"name\":\"short-lived\",\"permissions\":"
                + "[\"mailbox.view\"],\"expires_at\":\"" + expires + "\"}").json().path("token").asText();
        HybridboxHttp hybridbox = new HybridboxHttp(sandbox.server().port());
        String mailboxes = HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes");
        assertThat(hybridbox.call(token, "GET", mailboxes, null).status()).isEqualTo(200);
        sandbox.send("POST", "/sandbox/v1/clock", "{\"advance_s\":3601}");
        FeishuHttp.Response expired = hybridbox.call(token, "GET", mailboxes, null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.text()).isEqualTo("{\"detail\":\"Invalid or expired token\"}");
        assertThat(expired.header("www-authenticate")).isEqualTo("Bearer");
    }

    @Test
    void movingTheClockByAWindowResetsAFeishuRateLimit() {
        try (AdminHttp limited = AdminHttp.start(Backend.SQLITE, o -> new mailroom.server.MailroomServer.Options(o.host(), o.port(),
                o.dataDir(), o.databaseUrl(), o.seeds(), true, o.headerTimeout(), o.idleTimeout(), o.mta(), o.adminTokenFile(),
                o.events(), true), Clock.systemUTC())) {
            FeishuHttp client = new FeishuHttp(limited.server().port());
            // Mail v1 #45 (release a mailbox) is documented at 20 requests a minute.
            String release = "/open-apis/mail/v1/user_mailboxes/nobody@acme.test";
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 21; i++) statuses.add(client.call("cli_full", "DELETE", release, null).status());
            assertThat(statuses.subList(0, 20)).doesNotContain(429);
            FeishuHttp.Response refused = client.call("cli_full", "DELETE", release, null);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("x-ogw-ratelimit-limit")).isEqualTo("20");
            limited.send("POST", "/sandbox/v1/clock", "{\"advance_s\":61}");
            assertThat(client.call("cli_full", "DELETE", release, null).status()).as("a new window").isNotEqualTo(429);
        }
    }
}
