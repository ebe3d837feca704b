package mailroom.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
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
 * The request journal and the faults of sandbox mode (shared/specs/sandbox.md): what a client sent and got, with
 * secrets redacted; each fault kind answered in the door's own format with nothing written, {@code times} and
 * {@code probability} honoured.
 */
class RequestJournalAndFaultsTest {
    static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    static final String TOKEN = "/open-apis/auth/v3/tenant_access_token/internal";
    static AdminHttp sandbox;
    static FeishuHttp http;
    static HybridboxHttp hybridbox;

    @BeforeAll
    static void start() {
        sandbox = AdminHttp.start(Backend.SQLITE, o -> o.withSandbox(true), Clock.systemUTC());
        http = new FeishuHttp(sandbox.server().port());
        hybridbox = new HybridboxHttp(sandbox.server().port());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clean() {
        assertThat(sandbox.send("DELETE", "/sandbox/v1/faults", null).status()).isEqualTo(204);
        assertThat(sandbox.send("DELETE", "/sandbox/v1/requests", null).status()).isEqualTo(204);
    }

    static JsonNode requests(String query) {
        FeishuHttp.Response r = sandbox.send("GET", "/sandbox/v1/requests" + query, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(OpenApi.of("sandbox").problems("GET", "/sandbox/v1/requests" + query, r)).as("against openapi/sandbox.json").isEmpty();
        return r.json().path("items");
    }

    static String fault(String body) {
        FeishuHttp.Response r = sandbox.send("POST", "/sandbox/v1/faults", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/faults", r)).as("against openapi/sandbox.json").isEmpty();
        FeishuHttp.Response listed = sandbox.send("GET", "/sandbox/v1/faults", null);
        assertThat(OpenApi.of("sandbox").problems("GET", "/sandbox/v1/faults", listed)).as("against openapi/sandbox.json").isEmpty();
        return r.json().path("id").asText();
    }

    static long journalSeq() {
        return sandbox.server().directory().journal().lastSeq();
    }

    static String groupsJson() {
        return http.call("cli_full", "GET", GROUPS + "?page_size=100", null).json().path("data").toString();
    }

    @Test
    void theJournalRecordsWhatAFeishuClientSentAndGotWithSecretsRedacted() throws Exception {
        FeishuHttp client = new FeishuHttp(sandbox.server().port());
        FeishuHttp.Response token = client.send("POST", TOKEN, null,
                "{\"app_id\":\"cli_full\",\"app_secret\":\"" + FeishuHttp.SECRETS.get("cli_full") + "\"}");
        String bearer = "Bearer " + token.json().path("tenant_access_token").asText();
        FeishuHttp.Response created = client.send("POST", GROUPS + "?user_id_type=open_id", bearer,
                "{\"email\":\"journal@acme.test\",\"name\":\"Journal\"}");
        assertThat(created.json().path("code").asInt()).isZero();
        JsonNode items = requests("");
        assertThat(items).hasSize(2);
        JsonNode create = items.get(0);
        assertThat(create.path("id").asText()).startsWith("req_");
        assertThat(create.path("door").asText()).isEqualTo("feishu");
        assertThat(create.path("method").asText()).isEqualTo("POST");
        assertThat(create.path("path").asText()).isEqualTo(GROUPS);
        assertThat(create.path("query").toString()).isEqualTo("{\"user_id_type\":\"open_id\"}");
        assertThat(create.path("headers").path("authorization").asText()).isEqualTo("<redacted>");
        assertThat(create.path("headers").path("content-type").asText()).isEqualTo("application/json; charset=utf-8");
        assertThat(create.path("body").toString()).isEqualTo("{\"email\":\"journal@acme.test\",\"name\":\"Journal\"}");
        assertThat(create.path("status").asInt()).isEqualTo(200);
        assertThat(create.path("response_headers").path("content-type").asText()).isEqualTo("application/json; charset=utf-8");
        assertThat(create.path("response_headers").path("x-tt-logid").asText()).isEqualTo(created.header("x-tt-logid"));
        assertThat(create.path("response_body")).isEqualTo(created.json());
        assertThat(create.path("log_id").asText()).isEqualTo(created.header("x-tt-logid"));
        assertThat(create.path("took_ms").isIntegralNumber()).isTrue();
        assertThat(create.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        List<String> fields = new ArrayList<>();
        create.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "time", "door", "method", "path", "query", "headers", "body", "status",
                "response_headers", "response_body", "log_id", "took_ms");
        JsonNode asked = items.get(1);
        assertThat(asked.path("path").asText()).isEqualTo(TOKEN);
        assertThat(asked.path("body").toString()).isEqualTo("{\"app_id\":\"cli_full\",\"app_secret\":\"<redacted>\"}");
        assertThat(asked.path("response_body").path("tenant_access_token").asText()).isEqualTo("<redacted>");
        assertThat(asked.path("response_body").path("expire").asLong()).isPositive();
        String everything = sandbox.send("GET", "/sandbox/v1/requests", null).text();
        assertThat(everything).doesNotContain(FeishuHttp.SECRETS.get("cli_full")).doesNotContain(bearer.substring(7));
    }

    @Test
    void theJournalRecordsHybridboxRequestsKeepsNonJsonBodiesAsTextAndSkipsTheOperatorDoor() {
        String mailboxes = HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes");
        assertThat(hybridbox.call(HybridboxHttp.PROVISIONING, "GET", mailboxes + "?limit=2", null).status()).isEqualTo(200);
        FeishuHttp.Response bad = http.send("POST", mailboxes, "Bearer " + HybridboxHttp.PROVISIONING, "not json");
        assertThat(bad.status()).isEqualTo(422);
        sandbox.send("GET", "/admin/v1/tenants", null);
        JsonNode items = requests("");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("door").asText()).isEqualTo("hybridbox");
        assertThat(items.get(0).path("body").asText()).isEqualTo("not json");
        assertThat(items.get(0).path("status").asInt()).isEqualTo(422);
        assertThat(items.get(0).path("log_id").asText()).isEqualTo(bad.header("x-request-id"));
        assertThat(items.get(1).path("query").toString()).isEqualTo("{\"limit\":\"2\"}");
        assertThat(items.get(1).path("body").isNull()).isTrue();
        assertThat(items.get(1).path("headers").path("authorization").asText()).isEqualTo("<redacted>");
    }

    @Test
    void theJournalFiltersByDoorMethodPathAppSinceAndLimitNewestFirst() {
        http.call("cli_full", "GET", GROUPS, null);
        http.call("cli_full", "POST", GROUPS, "{\"email\":\"filters@acme.test\"}");
        hybridbox.call(HybridboxHttp.PROVISIONING, "GET", HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"), null);
        assertThat(requests("?door=hybridbox")).hasSize(1);
        assertThat(requests("?door=feishu&method=post")).hasSize(1);
        assertThat(requests("?path=/open-apis/mail/")).hasSize(2);
        assertThat(requests("?app_id=cli_full")).hasSize(2);
        assertThat(requests("?app_id=cli_other")).isEmpty();
        assertThat(requests("?limit=1")).hasSize(1).first().satisfies(e -> assertThat(e.path("door").asText()).isEqualTo("hybridbox"));
        assertThat(requests("?since=2999-01-01T00:00:00Z")).isEmpty();
        assertThat(requests("?since=2000-01-01T00:00:00Z")).hasSizeGreaterThanOrEqualTo(3);
        for (String bad : List.of("?limit=0", "?limit=x", "?since=yesterday", "?door=admin")) {
            assertThat(sandbox.send("GET", "/sandbox/v1/requests" + bad, null).status()).as(bad).isEqualTo(400);
        }
        assertThat(sandbox.send("DELETE", "/sandbox/v1/requests", null).status()).isEqualTo(204);
        assertThat(requests("")).isEmpty();
    }

    @Test
    void theJournalKeepsItsBoundDroppingTheOldestFirst() {
        RequestJournal journal = new RequestJournal();
        for (int i = 0; i < RequestJournal.CAPACITY + 5; i++) {
            journal.add(new RequestJournal.Entry(journal.nextSeq(), java.time.Instant.EPOCH, "feishu", "GET", "/p" + i, java.util.Map.of(),
                    java.util.Map.of(), null, 200, java.util.Map.of(), null, "id", 0, null));
        }
        List<RequestJournal.Entry> all = journal.list(new RequestJournal.Filter(null, null, null, null, null, Integer.MAX_VALUE));
        assertThat(all).hasSize(RequestJournal.CAPACITY);
        assertThat(all.get(0).path()).isEqualTo("/p" + (RequestJournal.CAPACITY + 4));
        assertThat(all.get(all.size() - 1).path()).isEqualTo("/p5");
    }

    @Test
    void aFeishu429FaultAnswersLikeTheRateLimiterAndWritesNothing() {
        String before = groupsJson();
        long seq = journalSeq();
        fault("{\"door\":\"feishu\",\"route\":\"POST /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":429,\"code\":99991400}}");
        FeishuHttp.Response r = http.call("cli_full", "POST", GROUPS, "{\"email\":\"never@acme.test\"}");
        assertThat(r.status()).isEqualTo(429);
        // the route's documented rate, 100/s, as the limiter names it
        assertThat(r.header("x-ogw-ratelimit-limit")).isEqualTo("100");
        assertThat(r.header("x-ogw-ratelimit-reset")).isEqualTo("1");
        assertThat(r.header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.text()).isEqualTo("{\"code\":99991400,\"msg\":\"request trigger frequency limit\",\"error\":{\"log_id\":\""
                + r.header("x-tt-logid") + "\"}}");
        assertThat(journalSeq()).isEqualTo(seq);
        assertThat(groupsJson()).isEqualTo(before);
        JsonNode recorded = requests("?method=POST").get(0);
        assertThat(recorded.path("status").asInt()).isEqualTo(429);
        assertThat(recorded.path("response_headers").path("x-ogw-ratelimit-limit").asText()).isEqualTo("100");
    }

    @Test
    void aFeishu500FaultCarriesItsCodeAndAFaultWithoutTimesLastsUntilDeleted() {
        long seq = journalSeq();
        String id = fault("{\"door\":\"feishu\",\"route\":\"POST /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":500,\"code\":1230003}}");
        for (int i = 0; i < 3; i++) {
            FeishuHttp.Response r = http.call("cli_full", "POST", GROUPS, "{\"email\":\"never@acme.test\"}");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.json().path("code").asInt()).isEqualTo(1230003);
            assertThat(r.json().path("msg").asText()).isEqualTo("Internal Error");
        }
        assertThat(journalSeq()).isEqualTo(seq);
        JsonNode listed = sandbox.send("GET", "/sandbox/v1/faults", null).json().path("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("id").asText()).isEqualTo(id);
        assertThat(listed.get(0).path("answer").toString()).isEqualTo("{\"http\":500,\"code\":1230003}");
        assertThat(sandbox.send("DELETE", "/sandbox/v1/faults/" + id, null).status()).isEqualTo(204);
        assertThat(sandbox.send("DELETE", "/sandbox/v1/faults/" + id, null).status()).isEqualTo(404);
        assertThat(http.call("cli_full", "POST", GROUPS, "{\"email\":\"after-fault@acme.test\"}").json().path("code").asInt()).isZero();
        assertThat(journalSeq()).isGreaterThan(seq);
    }

    @Test
    void aHybridboxFaultAnswersInFastApisShapeAndWritesNothing() {
        String mailboxes = HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes");
        long seq = journalSeq();
        fault("{\"door\":\"hybridbox\",\"route\":\"POST /v1/public/accounts/{account_id}/mailboxes\",\"answer\":{\"http\":503},\"times\":1}");
        fault("{\"door\":\"hybridbox\",\"route\":\"POST /v1/public/accounts/{account_id}/mailboxes\",\"answer\":{\"http\":500},\"times\":1}");
        String body = "{\"items\":[{\"address\":\"faulted@acme.test\"}]}";
        FeishuHttp.Response unavailable = hybridbox.call(HybridboxHttp.PROVISIONING, "POST", mailboxes, body);
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.text()).isEqualTo("{\"detail\":\"Service Unavailable\"}");
        FeishuHttp.Response failed = hybridbox.call(HybridboxHttp.PROVISIONING, "POST", mailboxes, body);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.text()).isEqualTo("{\"detail\":\"Internal Server Error\",\"error_id\":\"" + failed.header("x-request-id") + "\"}");
        assertThat(journalSeq()).isEqualTo(seq);
        assertThat(sandbox.send("GET", "/sandbox/v1/faults", null).json().path("items")).as("both used up").isEmpty();
    }

    @Test
    void timesCountsTheFaultedRequestsAndAnAppIdLimitsAFaultToThatApp() {
        fault("{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"app_id\":\"cli_full\",\"answer\":{\"http\":429},"
                + "\"times\":2}");
        assertThat(http.call("cli_readonly", "GET", GROUPS, null).status()).as("another app").isEqualTo(200);
        assertThat(http.call("cli_full", "GET", GROUPS, null).status()).isEqualTo(429);
        assertThat(sandbox.send("GET", "/sandbox/v1/faults", null).json().path("items").get(0).path("remaining").asInt()).isEqualTo(1);
        assertThat(http.call("cli_full", "GET", GROUPS, null).status()).isEqualTo(429);
        assertThat(http.call("cli_full", "GET", GROUPS, null).status()).isEqualTo(200);
    }

    @Test
    void probabilityFaultsThatShareOfRequestsAndASeedMakesTheRollRepeatable() {
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        for (List<Integer> run : List.of(first, second)) {
            sandbox.send("DELETE", "/sandbox/v1/faults", null);
            fault("{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":500},\"probability\":0.5,"
                    + "\"seed\":42}");
            for (int i = 0; i < 40; i++) run.add(http.call("cli_full", "GET", GROUPS, null).status());
        }
        assertThat(first).isEqualTo(second);
        java.util.Random roll = new java.util.Random(42);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) expected.add(roll.nextDouble() < 0.5 ? 500 : 200);
        assertThat(first).isEqualTo(expected).contains(500, 200);
        sandbox.send("DELETE", "/sandbox/v1/faults", null);
        fault("{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":500},\"probability\":0}");
        for (int i = 0; i < 10; i++) assertThat(http.call("cli_full", "GET", GROUPS, null).status()).isEqualTo(200);
    }

    @Test
    void aFaultOnTheTokenEndpointMatchesTheAppIdOfTheBody() {
        fault("{\"door\":\"feishu\",\"route\":\"POST " + TOKEN + "\",\"app_id\":\"cli_full\",\"answer\":{\"http\":500},\"times\":1}");
        FeishuHttp client = new FeishuHttp(sandbox.server().port());
        String other = "{\"app_id\":\"cli_readonly\",\"app_secret\":\"" + FeishuHttp.SECRETS.get("cli_readonly") + "\"}";
        assertThat(client.send("POST", TOKEN, null, other).json().path("code").asInt()).as("another app").isZero();
        FeishuHttp.Response faulted = client.send("POST", TOKEN, null,
                "{\"app_id\":\"cli_full\",\"app_secret\":\"" + FeishuHttp.SECRETS.get("cli_full") + "\"}");
        assertThat(faulted.status()).isEqualTo(500);
        assertThat(faulted.json().path("code").asInt()).isEqualTo(1230003);
        assertThat(faulted.json().has("tenant_access_token")).isFalse();
    }

    @Test
    void aDelayFaultAnswersNormallyAfterTheDelay() {
        fault("{\"door\":\"feishu\",\"route\":\"POST /open-apis/mail/v1/mailgroups\",\"answer\":{\"delay_ms\":600},\"times\":1}");
        long started = System.nanoTime();
        FeishuHttp.Response r = http.call("cli_full", "POST", GROUPS, "{\"email\":\"slow@acme.test\"}");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.json().path("code").asInt()).isZero();
        assertThat(tookMs).isGreaterThanOrEqualTo(600);
        assertThat(groupsJson()).contains("slow@acme.test");
        assertThat(requests("?method=POST").get(0).path("took_ms").asLong()).isGreaterThanOrEqualTo(600);
    }

    @Test
    void aDropFaultClosesTheConnectionWithoutAnAnswerAndWritesNothing() {
        long seq = journalSeq();
        fault("{\"door\":\"feishu\",\"route\":\"POST /open-apis/mail/v1/mailgroups\",\"answer\":{\"drop\":true},\"times\":1}");
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + GROUPS))
                .header("Authorization", "Bearer " + http.token("cli_full")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"dropped@acme.test\"}")).build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(journalSeq()).isEqualTo(seq);
        assertThat(groupsJson()).doesNotContain("dropped@acme.test");
        JsonNode recorded = requests("?method=POST").get(0);
        assertThat(recorded.path("status").isNull()).isTrue();
        assertThat(recorded.path("response_body").isNull()).isTrue();
        assertThat(http.call("cli_full", "GET", GROUPS, null).status()).as("the server serves on").isEqualTo(200);
    }

    @Test
    void aFaultThatNamesNoRouteOrNoAnswerIsRefusedWithEveryWrongField() {
        FeishuHttp.Response r = sandbox.send("POST", "/sandbox/v1/faults",
                "{\"door\":\"feishu\",\"route\":\"POST /open-apis/mail/v1/nosuch\",\"answer\":{\"http\":200},\"times\":0,\"probability\":2}");
        assertThat(r.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("route", "answer.http", "times", "probability");
        for (String bad : List.of("{\"door\":\"admin\",\"route\":\"GET /admin/v1/tenants\",\"answer\":{\"http\":500}}",
                "{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\"}",
                "{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":500,\"drop\":true}}",
                "{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"drop\":false}}",
                "{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"delay_ms\":0}}",
                "{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":404}}",
                "{\"door\":\"hybridbox\",\"route\":\"GET /v1/public/accounts/{account_id}/mailboxes\",\"answer\":{\"http\":500,\"code\":1}}",
                "{\"door\":\"feishu\",\"route\":\"GET /open-apis/mail/v1/mailgroups\",\"answer\":{\"http\":500},\"colour\":1}")) {
            FeishuHttp.Response refused = sandbox.send("POST", "/sandbox/v1/faults", bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(OpenApi.of("sandbox").problems("POST", "/sandbox/v1/faults", refused)).as(bad).isEmpty();
            assertThat(refused.json().path("type").asText()).isEqualTo("urn:mailroom:problem:validation");
        }
        assertThat(sandbox.send("GET", "/sandbox/v1/faults", null).json().path("items")).isEmpty();
    }
}
