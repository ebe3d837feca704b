package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.*;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import mailroom.directory.address.AddressKind;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two doors share one directory: what one creates, the other sees, aliases and refuses. */
class CrossDoorTest {
    private Path dataDir;
    private MailroomServer server;
    private FeishuHttp feishu;
    private HybridboxHttp hybridbox;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("mailroom-crossdoor");
        server = MailroomServer.start(TestServers.options(Backend.SQLITE, dataDir));
        feishu = new FeishuHttp(server.port());
        hybridbox = new HybridboxHttp(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode bulk(String... locals) {
        List<String[]> items = java.util.Arrays.stream(locals).map(l -> new String[]{"F", "L", l}).toList();
        FeishuHttp.Response r = hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"),
                HybridboxBulkTest.body("acme.test", items).toString());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void aBulkCreatedMailboxIsAliasedThroughFeishuAndTheAliasShowsInHybridbox() {
        JsonNode created = bulk("dora").get("created").get(0).get("mailbox");
        FeishuHttp.Response alias = feishu.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/dora@acme.test/aliases",
                "{\"email_alias\":\"d.explorer@acme.test\"}");
        assertThat(alias.json().get("code").asInt()).as(alias.text()).isZero();

        JsonNode mailbox = hybridbox.call(VIEWER, "GET", path(ACME, "/mailboxes/" + created.get("id").asText()), null).json();
        assertThat(mailbox.get("aliases").toString()).isEqualTo("[{\"alias\":\"d.explorer@acme.test\",\"is_catch_all\":false}]");
    }

    @Test
    void aFeishuMailGroupsAddressMakesAHybridboxBulkItemFailWithAddressTaken() {
        FeishuHttp.Response group = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"team@acme.test\",\"name\":\"Team\"}");
        assertThat(group.json().get("code").asInt()).as(group.text()).isZero();
        feishu.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/alice@acme.test/aliases",
                "{\"email_alias\":\"ali@acme.test\"}");

        JsonNode answer = bulk("team", "newbie", "ali");
        assertThat(HybridboxBulkTest.createdEmails(answer)).containsOnlyKeys(1);
        assertThat(answer.get("failed").toString()).isEqualTo("[{\"code\":\"address_taken\",\"index\":0,"
                + "\"message\":\"team@acme.test is already in use\"},{\"code\":\"address_taken\",\"index\":2,"
                + "\"message\":\"ali@acme.test is already in use\"}]");
        assertThat(server.directory().mailboxes().deliveryTarget("team@acme.test")).get()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(AddressKind.MAIL_GROUP));
    }

    @Test
    void aHybridboxMailboxsAddressMakesFeishuMailGroupCreateAnswer1234033() {
        bulk("hank");
        FeishuHttp.Response r = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"hank@acme.test\",\"name\":\"Hank's group\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asInt()).isEqualTo(1234033);
    }

    @Test
    void aHybridboxAliasMakesFeishuAliasCreateAnswer1235002() {
        bulk("ivy");
        FeishuHttp.Response alias = hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes/ivy@acme.test/aliases"),
                "{\"alias\":\"poison@acme.test\"}");
        assertThat(alias.status()).as(alias.text()).isEqualTo(201);

        FeishuHttp.Response r = feishu.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/bob@acme.test/aliases",
                "{\"email_alias\":\"poison@acme.test\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asInt()).isEqualTo(1235002);
    }

    @Test
    void aHybridboxDeleteMovesTheMailboxToTheRecycleBinAndKeepsItsAddressesReserved() throws Exception {
        bulk("jack");
        hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes/jack@acme.test/aliases"), "{\"alias\":\"jj@acme.test\"}");
        assertThat(hybridbox.call(PROVISIONING, "DELETE", path(ACME, "/mailboxes/jack@acme.test"), null).status())
                .isEqualTo(204);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("mailroom.db"));
             PreparedStatement s = c.prepareStatement("SELECT status FROM user_mailbox WHERE email = ?")) {
            s.setString(1, "jack@acme.test");
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("RECYCLED");
            }
        }
        // both the address and the alias still have their owner, through either door
        FeishuHttp.Response group = feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"jack@acme.test\"}");
        assertThat(group.json().get("code").asInt()).isEqualTo(1234033);
        FeishuHttp.Response alias = feishu.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/bob@acme.test/aliases",
                "{\"email_alias\":\"jj@acme.test\"}");
        assertThat(alias.json().get("code").asInt()).isEqualTo(1235002);
    }

    private String usersQuery(String... emails) {
        String list = java.util.Arrays.stream(emails).map(e -> "\"" + e + "\"").collect(java.util.stream.Collectors.joining(","));
        FeishuHttp.Response r = feishu.call("cli_full", "POST", "/open-apis/mail/v1/users/query", "{\"email_list\":[" + list + "]}");
        assertThat(r.json().get("code").asInt()).as(r.text()).isZero();
        return r.json().at("/data/user_list").toString();
    }

    @Test
    void feishuUsersQueryFollowsAHybridboxMailboxThroughPauseDeleteAndReleaseAfterWhichHybridboxCanCreateItAgain() {
        bulk("kim");
        hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes/kim@acme.test/aliases"), "{\"alias\":\"kk@acme.test\"}");
        assertThat(usersQuery("kim@acme.test", "kk@acme.test")).isEqualTo(
                "[{\"email\":\"kim@acme.test\",\"status\":4,\"type\":1},{\"email\":\"kk@acme.test\",\"status\":4,\"type\":2}]");

        FeishuHttp.Response paused = hybridbox.call(PROVISIONING, "PATCH", path(ACME, "/mailboxes/kim@acme.test/active"),
                "{\"active\":false}");
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(usersQuery("kim@acme.test")).isEqualTo("[{\"email\":\"kim@acme.test\",\"status\":6,\"type\":1}]");

        assertThat(hybridbox.call(PROVISIONING, "DELETE", path(ACME, "/mailboxes/kim@acme.test"), null).status()).isEqualTo(204);
        assertThat(usersQuery("kim@acme.test", "kk@acme.test")).isEqualTo(
                "[{\"email\":\"kim@acme.test\",\"status\":5,\"type\":1},{\"email\":\"kk@acme.test\",\"status\":5,\"type\":2}]");
        assertThat(bulk("kim").get("failed").get(0).get("code").asText()).isEqualTo("address_taken");

        FeishuHttp.Response released = feishu.call("cli_full", "DELETE", "/open-apis/mail/v1/user_mailboxes/kim@acme.test", null);
        assertThat(released.json().get("msg").asText()).as(released.text()).isEqualTo("release mail address success");
        assertThat(usersQuery("kim@acme.test", "kk@acme.test")).isEqualTo(
                "[{\"email\":\"kim@acme.test\",\"status\":3},{\"email\":\"kk@acme.test\",\"status\":3}]");

        FeishuHttp.Response again = hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes"),
                "{\"domain\":\"acme.test\",\"first_name\":\"Kim\",\"last_name\":\"Again\",\"local_part\":\"kim\"}");
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        assertThat(again.json().get("aliases").toString()).isEqualTo("[]");
    }

    @Test
    void aCatchAllTakesOnlyLocalPartsThatNoOneOwns() {
        bulk("kate");
        assertThat(hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes/kate@acme.test/aliases"),
                "{\"alias\":\"anything@acme.test\",\"is_catch_all\":true}").status()).isEqualTo(201);
        feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"sales@acme.test\"}");

        var mailboxes = server.directory().mailboxes();
        String kate = mailboxes.get(as("acme"), "kate@acme.test").mailbox().id();
        assertThat(mailboxes.deliveryTarget("nobody@acme.test")).get().satisfies(e -> {
            assertThat(e.ownerId()).isEqualTo(kate);
            assertThat(e.catchAll()).isTrue();
        });
        assertThat(mailboxes.deliveryTarget("ANYTHING@acme.test")).get().satisfies(e -> assertThat(e.ownerId()).isEqualTo(kate));
        assertThat(mailboxes.deliveryTarget("alice@acme.test")).get()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(AddressKind.USER_MAILBOX));
        assertThat(mailboxes.deliveryTarget("sales@acme.test")).get()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(AddressKind.MAIL_GROUP));
        assertThat(mailboxes.deliveryTarget("nobody@acme-mail.test")).isEmpty();
    }
}
