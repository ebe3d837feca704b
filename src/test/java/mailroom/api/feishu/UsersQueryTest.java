package mailroom.api.feishu;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;

/**
 * users/query for the user-mailbox states the Feishu door cannot produce itself: in the recycle bin
 * (only the Hybridbox door deletes mailboxes) and disabled (a PAUSED mailbox).
 */
class UsersQueryTest {
    private static final String QUERY = "/open-apis/mail/v1/users/query";

    @Test
    void recycledUserMailboxesAnswerStatus5AndPausedOnesStatus6WithTheirAliases() throws Exception {
        Path dir = Files.createTempDirectory("mailroom-query");
        try (MailroomServer server = MailroomServer.start(TestServers.options(TestServers.Backend.SQLITE, dir))) {
            FeishuHttp http = new FeishuHttp(server.port());
            assertThat(http.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/bob@acme.test/aliases",
                    "{\"email_alias\":\"bobby@acme.test\"}").status()).isEqualTo(200);
            assertThat(http.call("cli_full", "POST", "/open-apis/mail/v1/user_mailboxes/carol@acme.test/aliases",
                    "{\"email_alias\":\"cw@acme.test\"}").status()).isEqualTo(200);
            server.directory().mailboxes().moveToRecycleBin(as("acme"), "bob@acme.test");
            // No operation pauses a mailbox yet (Hybridbox will): set the stored state directly.
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mailroom.db"))) {
                c.createStatement().executeUpdate("UPDATE user_mailbox SET status = 'PAUSED' WHERE email = 'carol@acme.test'");
            }

            FeishuHttp.Response r = http.call("cli_full", "POST", QUERY, "{\"email_list\":[\"bob@acme.test\","
                    + "\"bobby@acme.test\",\"carol@acme.test\",\"cw@acme.test\",\"alice@acme.test\"]}");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("data")).isEqualTo(FeishuHttp.JSON.readTree("""
                    {"user_list": [
                      {"email": "bob@acme.test", "status": 5, "type": 1},
                      {"email": "bobby@acme.test", "status": 5, "type": 2},
                      {"email": "carol@acme.test", "status": 6, "type": 1},
                      {"email": "cw@acme.test", "status": 6, "type": 2},
                      {"email": "alice@acme.test", "status": 4, "type": 1}]}"""));

            // Forwarding into a disabled mailbox is refused; into an enabled one, the release goes through.
            FeishuHttp.Response refused = http.call("cli_full", "DELETE",
                    "/open-apis/mail/v1/user_mailboxes/bob@acme.test?transfer_mailbox=carol@acme.test", null);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("code").asInt()).isEqualTo(1230001);
            FeishuHttp.Response released = http.call("cli_full", "DELETE",
                    "/open-apis/mail/v1/user_mailboxes/bob@acme.test?transfer_mailbox=alice@acme.test", null);
            assertThat(released.status()).isEqualTo(200);
            JsonNode body = released.json();
            assertThat(body.get("code").asInt()).isZero();
            assertThat(body.get("msg").asText()).isEqualTo("release mail address success");
            assertThat(body.get("data")).isEqualTo(FeishuHttp.JSON.readTree("{}"));
            assertThat(http.call("cli_full", "POST", QUERY, "{\"email_list\":[\"bob@acme.test\",\"bobby@acme.test\"]}")
                    .json().get("data")).isEqualTo(FeishuHttp.JSON.readTree("""
                    {"user_list": [{"email": "bob@acme.test", "status": 3}, {"email": "bobby@acme.test", "status": 3}]}"""));
        }
    }
}
