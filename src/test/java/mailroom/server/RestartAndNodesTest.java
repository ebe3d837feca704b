package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import mailroom.testing.Together;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing that clients hold may live only in one process: data and issued tenant_access_tokens
 * survive a restart on the same SQLite file, and two nodes on one PostgreSQL database behave as one.
 */
class RestartAndNodesTest {
    static final String GROUPS = "/open-apis/mail/v1/mailgroups";

    @TempDir
    Path dataDir;

    static FeishuHttp.Response call(MailroomServer server, String token, String method, String path, String body) {
        return new FeishuHttp(server.port()).send(method, path, "Bearer " + token, body);
    }

    @Test
    void dataAndAnIssuedTokenSurviveARestartOnTheSameSqliteFile() {
        MailroomServer.Options options = TestServers.options(Backend.SQLITE, dataDir);
        String token;
        String groupId;
        try (MailroomServer first = MailroomServer.start(options)) {
            token = new FeishuHttp(first.port()).token("cli_full");
            FeishuHttp.Response created = call(first, token, "POST", GROUPS, "{\"email\":\"keep@acme.test\",\"name\":\"Keep\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            groupId = created.json().at("/data/mailgroup_id").asText();
            assertThat(call(first, token, "POST", GROUPS + "/" + groupId + "/aliases", "{\"email_alias\":\"kept@acme.test\"}")
                    .status()).isEqualTo(200);
            assertThat(call(first, token, "POST", GROUPS + "/" + groupId + "/members", "{\"type\":\"USER\",\"user_id\":\"ou_100\"}")
                    .status()).isEqualTo(200);
        }
        assertThat(Files.exists(dataDir.resolve("mailroom.db"))).isTrue();

        try (MailroomServer second = MailroomServer.start(options)) {
            FeishuHttp.Response group = call(second, token, "GET", GROUPS + "/" + groupId, null);
            assertThat(group.status()).as(group.text()).isEqualTo(200);
            assertThat(group.json().at("/data/email").asText()).isEqualTo("keep@acme.test");
            assertThat(group.json().at("/data/name").asText()).isEqualTo("Keep");
            assertThat(group.json().at("/data/direct_members_count").asLong()).isEqualTo(1);
            assertThat(call(second, token, "GET", GROUPS + "/" + groupId + "/aliases", null).json()
                    .at("/data/items/0/email_alias").asText()).isEqualTo("kept@acme.test");
            // the restarted server still knows the address is taken
            assertThat(call(second, token, "POST", GROUPS, "{\"email\":\"kept@acme.test\"}").json().get("code").asInt())
                    .isEqualTo(1234006);
            // asking for a token again in the same window gives the very same token
            assertThat(new FeishuHttp(second.port()).token("cli_full")).isEqualTo(token);
        }
    }

    @Test
    void aTokenThatWasNeverIssuedIsRefusedAfterARestartToo() {
        MailroomServer.Options options = TestServers.options(Backend.SQLITE, dataDir);
        String token;
        try (MailroomServer first = MailroomServer.start(options)) {
            token = new FeishuHttp(first.port()).token("cli_full");
        }
        try (MailroomServer second = MailroomServer.start(options)) {
            String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
            FeishuHttp.Response r = call(second, forged, "GET", GROUPS, null);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("code").asInt()).isEqualTo(99991663);
        }
    }

    @Test
    void twoNodesOnOnePostgresDatabaseShareTokensDataAndTheNamespace() throws Exception {
        String url = TestServers.newPostgresDatabase();
        MailroomServer.Options options = new MailroomServer.Options("127.0.0.1", 0, dataDir, url,
                List.of(TestServers.contractSeed()), false);
        try (MailroomServer a = MailroomServer.start(options); MailroomServer b = MailroomServer.start(options)) {
            assertThat(a.port()).isNotEqualTo(b.port());
            String tokenFromA = new FeishuHttp(a.port()).token("cli_full");
            assertThat(new FeishuHttp(b.port()).token("cli_full")).as("both nodes sign with the one stored secret")
                    .isEqualTo(tokenFromA);

            FeishuHttp.Response created = call(a, tokenFromA, "POST", GROUPS, "{\"email\":\"shared@acme.test\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            String id = created.json().at("/data/mailgroup_id").asText();

            FeishuHttp.Response onB = call(b, tokenFromA, "GET", GROUPS + "/" + id, null);
            assertThat(onB.status()).as(onB.text()).isEqualTo(200);
            assertThat(onB.json().at("/data/email").asText()).isEqualTo("shared@acme.test");
            assertThat(call(b, tokenFromA, "GET", GROUPS, null).json().at("/data/items").findValuesAsText("email"))
                    .containsExactly("shared@acme.test");

            FeishuHttp.Response conflict = call(b, tokenFromA, "POST", GROUPS, "{\"email\":\"shared@acme.test\"}");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.json().get("code").asInt()).isEqualTo(1234006);
            FeishuHttp.Response aliasConflict = call(b, tokenFromA, "POST",
                    "/open-apis/mail/v1/user_mailboxes/alice@acme.test/aliases", "{\"email_alias\":\"shared@acme.test\"}");
            assertThat(aliasConflict.json().get("code").asInt()).isEqualTo(1234006);

            // the same address claimed on both nodes at once: one winner across the cluster
            for (int round = 0; round < 5; round++) {
                String address = "both" + round + "@acme.test";
                List<Callable<FeishuHttp.Response>> calls = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    MailroomServer node = t % 2 == 0 ? a : b;
                    calls.add(() -> call(node, tokenFromA, "POST", GROUPS, "{\"email\":\"" + address + "\"}"));
                }
                List<FeishuHttp.Response> answers = Together.run(calls);
                assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
                assertThat(answers).filteredOn(r -> r.status() != 200).allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(409);
                    assertThat(r.json().get("code").asInt()).isEqualTo(1234006);
                });
                JsonNode fromB = call(b, tokenFromA, "GET", GROUPS + "?page_size=200", null).json().at("/data/items");
                assertThat(fromB.findValuesAsText("email")).filteredOn(address::equals).hasSize(1);
            }
        }
    }

    @Test
    void aSeededServiceAccountTokenRotatedThroughTheApiDoesNotComeBackWhenTheSeedIsAppliedAgain() {
        MailroomServer.Options options = TestServers.options(Backend.SQLITE, dataDir);
        String account = HybridboxHttp.path(HybridboxHttp.ACME, "");
        String rotated;
        try (MailroomServer first = MailroomServer.start(options)) {
            HybridboxHttp http = new HybridboxHttp(first.port());
            String id = first.directory().serviceAccounts().authenticate(HybridboxHttp.VIEWER).orElseThrow().serviceAccountId();
            FeishuHttp.Response r = http.call(HybridboxHttp.PROVISIONING, "POST",
                    account + "/auth/service-accounts/" + id + "/rotate", null);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            rotated = r.json().get("token").asText();
        }
        try (MailroomServer second = MailroomServer.start(options)) {
            HybridboxHttp http = new HybridboxHttp(second.port());
            assertThat(http.call(HybridboxHttp.VIEWER, "GET", account + "/mailboxes", null).status())
                    .as("the seed's token, rotated away").isEqualTo(401);
            assertThat(http.call(rotated, "GET", account + "/mailboxes", null).status())
                    .as("the token the rotation issued").isEqualTo(200);
        }
    }
}
