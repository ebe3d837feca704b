package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mailroom.server.MailroomServer;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.RawHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GET /admin/v1/changes on its own: a long poll answers as soon as an entry lands and times out empty, a tenant's
 * reader waits through other tenants' entries, a scoped token sees its tenant only, a poll outlasting the idle and
 * read timeouts is answered whole, a stopping server does not wait for open polls, and the gauges are scraped.
 */
class ChangesApiTest {
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        later.shutdownNow();
        for (AutoCloseable s : servers) s.close();
    }

    private AdminHttp start(Backend backend) {
        AdminHttp admin = AdminHttp.start(backend);
        servers.add(admin);
        return admin;
    }

    private static long lastSeq(AdminHttp admin) {
        return admin.server().directory().journal().lastSeq();
    }

    /** A Feishu write of the app's tenant; answers the log id it was acknowledged with. */
    private static String createGroup(AdminHttp admin, String app, String address) {
        FeishuHttp.Response r = new FeishuHttp(admin.server().port()).call(app, "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"" + address + "\"}");
        assertThat(r.json().path("code").asInt()).as(r.text()).isZero();
        return r.header("X-Tt-Logid");
    }

    private record Timed(FeishuHttp.Response response, long millis) {
        JsonNode json() {
            return response.json();
        }
    }

    private static Timed changes(AdminHttp admin, String query) {
        long started = System.nanoTime();
        FeishuHttp.Response r = admin.send("GET", "/admin/v1/changes" + query, null);
        return new Timed(r, (System.nanoTime() - started) / 1_000_000);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWriteLandingDuringAWaitIsAnsweredAtOnceWithThatEntry(Backend backend) throws Exception {
        AdminHttp admin = start(backend);
        long start = lastSeq(admin);
        var logId = later.schedule(() -> createGroup(admin, "cli_full", "early@acme.test"), 300, TimeUnit.MILLISECONDS);

        Timed polled = changes(admin, "?after=" + start + "&wait=10");

        assertThat(polled.response().status()).isEqualTo(200);
        assertThat(polled.millis()).as("answered well before the 10 s wait ends").isBetween(250L, 3000L);
        JsonNode items = polled.json().get("items");
        assertThat(items).hasSize(1);
        JsonNode entry = items.get(0);
        assertThat(entry.get("seq").asLong()).isEqualTo(start + 1);
        assertThat(entry.get("tenant").asText()).isEqualTo("acme");
        assertThat(entry.get("actor").toString()).isEqualTo("{\"kind\":\"feishu_app\",\"id\":\"cli_full\"}");
        assertThat(entry.get("request_id").asText()).isEqualTo(logId.get());
        assertThat(entry.at("/object/kind").asText()).isEqualTo("mail_group");
        assertThat(entry.at("/object/address").asText()).isEqualTo("early@acme.test");
        assertThat(entry.get("op").asText()).isEqualTo("create");
        assertThat(entry.get("before").isNull()).isTrue();
        assertThat(polled.json().get("next_after").asLong()).isEqualTo(start + 1);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWaitWithNothingNewEndsEmptyAfterItsTimeWithNextAfterUnchanged(Backend backend) {
        AdminHttp admin = start(backend);
        long last = lastSeq(admin);

        Timed polled = changes(admin, "?after=" + last + "&wait=1");

        assertThat(polled.response().status()).isEqualTo(200);
        assertThat(polled.response().text()).isEqualTo("{\"items\":[],\"next_after\":" + last + "}");
        assertThat(polled.millis()).isBetween(1000L, 3000L);
        assertThat(changes(admin, "?after=" + last).millis()).as("wait=0 does not wait").isLessThan(1000L);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTenantsReaderWaitsThroughOtherTenantsEntriesAndIsAnsweredWithItsOwn(Backend backend) throws Exception {
        AdminHttp admin = start(backend);
        long start = lastSeq(admin);
        later.schedule(() -> createGroup(admin, "cli_full", "noise@acme.test"), 300, TimeUnit.MILLISECONDS);
        var globex = later.schedule(() -> createGroup(admin, "cli_globex", "news@globex.test"), 900, TimeUnit.MILLISECONDS);

        Timed polled = changes(admin, "?after=" + start + "&wait=10&tenant=globex");

        assertThat(polled.millis()).as("not woken for acme's entry").isBetween(850L, 4000L);
        JsonNode items = polled.json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("request_id").asText()).isEqualTo(globex.get());
        assertThat(items.get(0).get("seq").asLong()).isEqualTo(start + 2);
        assertThat(polled.json().get("next_after").asLong()).isEqualTo(start + 2);

        // Only another tenant's entry during the wait: empty, and the position still moves past it.
        later.schedule(() -> createGroup(admin, "cli_full", "more-noise@acme.test"), 200, TimeUnit.MILLISECONDS);
        Timed quiet = changes(admin, "?after=" + (start + 2) + "&wait=1&tenant=globex");
        assertThat(quiet.response().text()).isEqualTo("{\"items\":[],\"next_after\":" + (start + 3) + "}");
        assertThat(quiet.millis()).isGreaterThanOrEqualTo(1000L);
    }

    @Test
    void aScopedTokenSeesItsOwnTenantOnlyAndAnotherTenantIsNotFoundLikeNoTenant() {
        AdminHttp admin = start(Backend.SQLITE);
        String acmeViewer = "Bearer " + admin.send("POST", "/admin/v1/operator-tokens",
                "{\"name\":\"acme feed\",\"role\":\"viewer\",\"tenant\":\"acme\"}").json().get("token").asText();
        createGroup(admin, "cli_globex", "hidden@globex.test");
        createGroup(admin, "cli_full", "shown@acme.test");

        JsonNode all = changes(admin, "?limit=1000").json();
        List<String> tenants = new ArrayList<>();
        all.get("items").forEach(e -> tenants.add(e.get("tenant").isNull() ? null : e.get("tenant").asText()));
        assertThat(tenants).as("a server-wide token sees every tenant and the server's own entries").contains("acme", "globex", "tiny", null);
        assertThat(all.get("items")).anySatisfy(e -> {
            assertThat(e.get("tenant").isNull()).isTrue();
            assertThat(e.at("/object/kind").asText()).isEqualTo("operator_token");
        });

        FeishuHttp.Response own = admin.sendAs(acmeViewer, "GET", "/admin/v1/changes?limit=1000", null);
        assertThat(own.status()).isEqualTo(200);
        List<JsonNode> acmeOnly = new ArrayList<>();
        all.get("items").forEach(e -> {
            if ("acme".equals(e.get("tenant").asText(null))) acmeOnly.add(e);
        });
        assertThat(own.json().get("items")).containsExactlyElementsOf(acmeOnly);
        assertThat(own.json().get("next_after").asLong()).isEqualTo(all.get("next_after").asLong());
        assertThat(admin.sendAs(acmeViewer, "GET", "/admin/v1/changes?limit=1000&tenant=acme", null).text()).isEqualTo(own.text());

        FeishuHttp.Response other = admin.sendAs(acmeViewer, "GET", "/admin/v1/changes?tenant=globex", null);
        FeishuHttp.Response nobody = admin.send("GET", "/admin/v1/changes?tenant=nobody", null);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text()).isEqualTo(nobody.text())
                .isEqualTo("{\"type\":\"urn:mailroom:problem:not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"tenant not found\"}");
    }

    @Test
    void aLongPollOutlastingTheIdleAndReadTimeoutsIsAnsweredWholeAndThenEndsItsConnection() throws Exception {
        // idle 3 s, so the socket read timeout is 4 s (idle + header): a 5 s wait outlasts both.
        Path dir = Files.createTempDirectory("mailroom-feed");
        MailroomServer.Options options = TestServers.options(Backend.SQLITE, dir).withAdminTokenFile(dir.resolve("admin-token"))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3));
        try (MailroomServer server = MailroomServer.start(options)) {
            String token = Files.readString(dir.resolve("admin-token")).trim();
            long last = server.directory().journal().lastSeq();
            try (RawHttp raw = new RawHttp(server.port())) {
                long started = System.nanoTime();
                RawHttp.Received got = raw.send("GET /admin/v1/changes?after=" + last + "&wait=5 HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n").receive(8000);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(got.statuses()).containsExactly(200);
                assertThat(got.firstBody()).isEqualTo("{\"items\":[],\"next_after\":" + last + "}");
                assertThat(millis).isGreaterThanOrEqualTo(5000L);
                assertThat(got.firstHeader("Connection")).isEqualTo("close");
                assertThat(got.closedByServer()).isTrue();
            }
            try (RawHttp raw = new RawHttp(server.port())) {
                RawHttp.Received quick = raw.send("GET /admin/v1/changes?after=" + last + " HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n").receive(500);
                assertThat(quick.statuses()).containsExactly(200);
                assertThat(quick.firstHeader("Connection")).as("a short poll keeps its connection").isEqualTo("keep-alive");
                assertThat(quick.closedByServer()).isFalse();
            }
        }
    }

    @Test
    void stoppingTheServerEndsOpenLongPollsInsteadOfWaitingForThem() throws Exception {
        AdminHttp admin = AdminHttp.start(Backend.SQLITE);
        long last = lastSeq(admin);
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            polls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.server().port()
                    + "/admin/v1/changes?wait=60&after=" + last)).header("Authorization", "Bearer " + admin.adminToken()).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (openPolls(admin) < 3 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(openPolls(admin)).isEqualTo(3);

        long started = System.nanoTime();
        admin.close();
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(millis).as("the server stopped without waiting out the polls").isLessThan(5000L);
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            // each ends at once: answered with what it had, or its connection closed
            Object ended = poll.handle((r, e) -> r != null ? r.statusCode() + " " + r.body() : e).get(5, TimeUnit.SECONDS);
            if (ended instanceof String answered) {
                assertThat(answered).isEqualTo("200 {\"items\":[],\"next_after\":" + last + "}");
            } else {
                assertThat(ended).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                        .hasRootCauseInstanceOf(java.io.IOException.class);
            }
        }
    }

    @Test
    void theGaugesShowTheLastSequenceNumberAndTheOpenLongPolls() throws Exception {
        AdminHttp admin = start(Backend.SQLITE);
        createGroup(admin, "cli_full", "gauge@acme.test");
        long last = lastSeq(admin);
        assertThat(gauge(admin, "mailroom_journal_last_seq")).isEqualTo((double) last);
        assertThat(gauge(admin, "mailroom_changes_open_polls")).isZero();

        var poll = CompletableFuture.supplyAsync(() -> changes(admin, "?after=" + last + "&wait=10"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (openPolls(admin) < 1 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(gauge(admin, "mailroom_changes_open_polls")).isEqualTo(1.0);

        createGroup(admin, "cli_full", "gauge2@acme.test");
        assertThat(poll.get(5, TimeUnit.SECONDS).json().get("next_after").asLong()).isEqualTo(last + 1);
        assertThat(gauge(admin, "mailroom_journal_last_seq")).isEqualTo((double) (last + 1));
        assertThat(gauge(admin, "mailroom_changes_open_polls")).isZero();
    }

    private static double openPolls(AdminHttp admin) {
        return gauge(admin, "mailroom_changes_open_polls");
    }

    private static double gauge(AdminHttp admin, String name) {
        String text = new FeishuHttp(admin.server().port()).send("GET", "/metrics", null, null).text();
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("%s in %s", name, text.lines().filter(l -> l.contains("journal") || l.contains("changes")).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
