package mailroom.server;

import static mailroom.testing.HybridboxHttp.ACME;
import static mailroom.testing.HybridboxHttp.PROVISIONING;
import static mailroom.testing.HybridboxHttp.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import mailroom.seed.SeedFile;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /metrics} as a Prometheus server scrapes it: exact sample lines, labelled by route template
 * (never a raw path or an address), so the number of series stays bounded whatever clients send.
 */
class MetricsTest {
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    private static final String REQUESTS = "mailroom_http_requests_seconds_count";

    private static List<String> scrape(FeishuHttp http) {
        FeishuHttp.Response r = http.send("GET", "/metrics", null, null);
        assertThat(r.status()).isEqualTo(200);
        return r.text().lines().toList();
    }

    /** The sample lines of one metric, comments left out. */
    private static List<String> samples(List<String> scrape, String metric) {
        return scrape.stream().filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " ")).toList();
    }

    @Test
    void aCreatedMailGroupAndAnAddressConflictAreCountedByRouteTemplateStatusAndFeishuCode() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(http.call("cli_full", "POST", GROUPS, "{\"email\":\"sales@acme.test\"}").status()).isEqualTo(200);
            FeishuHttp.Response conflict = http.call("cli_full", "POST", GROUPS, "{\"email\":\"sales@acme.test\"}");
            assertThat(conflict.json().get("code").asInt()).isEqualTo(1234006);

            assertThat(samples(scrape(http), REQUESTS)).containsExactlyInAnyOrder(
                    REQUESTS + "{code=\"0\",door=\"auth\",route=\"POST /open-apis/auth/v3/tenant_access_token/internal\",status=\"200\"} 1",
                    REQUESTS + "{code=\"0\",door=\"feishu\",route=\"POST /open-apis/mail/v1/mailgroups\",status=\"200\"} 1",
                    REQUESTS + "{code=\"1234006\",door=\"feishu\",route=\"POST /open-apis/mail/v1/mailgroups\",status=\"409\"} 1");
        }
    }

    @Test
    void aRouteWithAParameterIsCountedUnderItsTemplateAndTheIdNeverAppears() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            String id = http.call("cli_full", "POST", GROUPS, "{\"email\":\"ops@acme.test\"}").json().at("/data/mailgroup_id").asText();
            http.call("cli_full", "GET", GROUPS + "/" + id, null);
            http.call("cli_full", "GET", GROUPS + "/no-such-group", null);

            List<String> scrape = scrape(http);
            assertThat(samples(scrape, REQUESTS)).contains(
                    REQUESTS + "{code=\"0\",door=\"feishu\",route=\"GET /open-apis/mail/v1/mailgroups/:mailgroup_id\",status=\"200\"} 1");
            assertThat(samples(scrape, REQUESTS)).filteredOn(line -> line.contains("GET /open-apis/mail/v1/mailgroups/:mailgroup_id"))
                    .hasSize(2);
            assertThat(String.join("\n", scrape)).doesNotContain(id).doesNotContain("no-such-group").doesNotContain("ops@acme.test");
        }
    }

    @Test
    void aHybridboxRequestIsCountedWithItsRouteTemplateAndStatus() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            HybridboxHttp hybridbox = new HybridboxHttp(server.port());
            assertThat(hybridbox.call(PROVISIONING, "GET", path(ACME, "/mailboxes/alice@acme.test"), null).status()).isEqualTo(200);
            assertThat(hybridbox.call(PROVISIONING, "GET", path(ACME, "/mailboxes/nobody@acme.test"), null).status()).isEqualTo(404);
            assertThat(hybridbox.call(null, "GET", path(ACME, "/mailboxes/alice@acme.test"), null).status()).isEqualTo(401);

            List<String> scrape = scrape(new FeishuHttp(server.port()));
            String route = "route=\"GET /v1/public/accounts/{account_id}/mailboxes/{mailbox}\"";
            assertThat(samples(scrape, REQUESTS)).containsExactlyInAnyOrder(
                    REQUESTS + "{code=\"\",door=\"hybridbox\"," + route + ",status=\"200\"} 1",
                    REQUESTS + "{code=\"\",door=\"hybridbox\"," + route + ",status=\"401\"} 1",
                    REQUESTS + "{code=\"\",door=\"hybridbox\"," + route + ",status=\"404\"} 1");
            assertThat(String.join("\n", scrape)).doesNotContain("alice@acme.test").doesNotContain(ACME);
        }
    }

    @Test
    void unknownPathsShareOneSeriesPerDoorWhateverThePath() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            List<String> unknown = List.of("/nope", "/open-apis/mail/v1/nosuch", "/probe/x1y2z3", "/wp-login.php");
            for (String p : unknown) assertThat(http.send("GET", p, null, null).status()).isEqualTo(404);
            HybridboxHttp hybridbox = new HybridboxHttp(server.port());
            assertThat(hybridbox.call(PROVISIONING, "GET", "/v1/public/nosuch/q7w8e9", null).status()).isEqualTo(404);
            assertThat(hybridbox.call(PROVISIONING, "PUT", path(ACME, "/mailboxes"), "{}").status()).isEqualTo(405);

            List<String> scrape = scrape(http);
            assertThat(samples(scrape, REQUESTS)).containsExactlyInAnyOrder(
                    REQUESTS + "{code=\"\",door=\"other\",route=\"unmatched\",status=\"404\"} 4",
                    REQUESTS + "{code=\"\",door=\"hybridbox\",route=\"unmatched\",status=\"404\"} 1",
                    REQUESTS + "{code=\"\",door=\"hybridbox\",route=\"unmatched\",status=\"405\"} 1");
            String text = String.join("\n", scrape);
            for (String p : List.of("nosuch", "x1y2z3", "wp-login", "q7w8e9")) assertThat(text).doesNotContain(p);
        }
    }

    @Test
    void theHealthCheckAndEarlierScrapesAreCountedUnderTheirOwnRoutes() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(http.send("GET", "/healthz", null, null).status()).isEqualTo(200);
            scrape(http);
            assertThat(samples(scrape(http), REQUESTS)).containsExactlyInAnyOrder(
                    REQUESTS + "{code=\"\",door=\"other\",route=\"GET /healthz\",status=\"200\"} 1",
                    REQUESTS + "{code=\"\",door=\"other\",route=\"GET /metrics\",status=\"200\"} 1");
        }
    }

    @Test
    void aRateLimitedRequestIsCountedForItsRouteAndAnsweredCode99991400() {
        String query = "/open-apis/mail/v1/users/query";
        MailroomServer.Options o = TestServers.options(Backend.SQLITE, null);
        List<SeedFile.TenantSeed> tenants = o.seeds().get(0).tenants().stream().map(t -> !t.key().equals("acme") ? t
                : new SeedFile.TenantSeed(t.key(), t.name(), t.domains(), t.geo(), t.limits(), t.apps(), t.departments(),
                t.users(), t.hybridbox(), Map.of("POST " + query, "1/min"))).toList();
        try (MailroomServer server = MailroomServer.start(new MailroomServer.Options(o.host(), o.port(), o.dataDir(),
                o.databaseUrl(), List.of(new SeedFile(tenants)), true))) {
            FeishuHttp http = new FeishuHttp(server.port());
            String body = "{\"email_list\":[\"alice@acme.test\"]}";
            assertThat(http.call("cli_full", "POST", query, body).status()).isEqualTo(200);
            assertThat(http.call("cli_full", "POST", query, body).status()).isEqualTo(429);
            assertThat(http.call("cli_full", "POST", query, body).status()).isEqualTo(429);

            List<String> scrape = scrape(http);
            assertThat(samples(scrape, "mailroom_rate_limited_requests_total")).containsExactly(
                    "mailroom_rate_limited_requests_total{door=\"feishu\",route=\"POST /open-apis/mail/v1/users/query\"} 2.0");
            assertThat(samples(scrape, REQUESTS)).contains(
                    REQUESTS + "{code=\"99991400\",door=\"feishu\",route=\"POST /open-apis/mail/v1/users/query\",status=\"429\"} 2");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theAddressGaugeEqualsTheNumberOfStoredAddresses(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            String store = backend == Backend.SQLITE ? "sqlite" : "postgresql";
            String gauge = "mailroom_directory_addresses{store=\"" + store + "\"} ";
            FeishuHttp http = new FeishuHttp(server.port());
            long seeded = TestServers.contractSeed().tenants().stream()
                    .flatMap(t -> t.users().stream()).filter(u -> u.email() != null).count();
            assertThat(seeded).isEqualTo(6);
            assertThat(samples(scrape(http), "mailroom_directory_addresses")).containsExactly(gauge + seeded + ".0");

            String id = http.call("cli_full", "POST", GROUPS, "{\"email\":\"sales@acme.test\"}").json().at("/data/mailgroup_id").asText();
            assertThat(http.call("cli_full", "POST", GROUPS + "/" + id + "/aliases", "{\"email_alias\":\"team@acme.test\"}").status())
                    .isEqualTo(200);
            assertThat(samples(scrape(http), "mailroom_directory_addresses")).containsExactly(gauge + (seeded + 2) + ".0");

            assertThat(http.call("cli_full", "DELETE", GROUPS + "/" + id, null).status()).isEqualTo(200);
            assertThat(samples(scrape(http), "mailroom_directory_addresses")).containsExactly(gauge + seeded + ".0");
        }
    }

    @Test
    void theScrapeIsPrometheusTextWithJvmAndConnectionPoolMetrics() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            http.send("GET", "/healthz", null, null);
            FeishuHttp.Response r = http.send("GET", "/metrics", null, null);
            assertThat(r.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            List<String> scrape = r.text().lines().toList();
            assertThat(scrape).contains("# TYPE mailroom_http_requests_seconds histogram",
                    "# TYPE mailroom_directory_addresses gauge",
                    "hikaricp_connections_max{pool=\"mailroom-sqlite-write\"} 1.0",
                    "hikaricp_connections_max{pool=\"mailroom-sqlite-read\"} 4.0");
            for (String metric : List.of("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads",
                    "process_uptime_seconds", "process_cpu_usage")) {
                assertThat(samples(scrape, metric)).as(metric).isNotEmpty();
            }
        }
    }
}
