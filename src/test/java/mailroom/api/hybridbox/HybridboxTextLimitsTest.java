package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.ACME;
import static mailroom.testing.HybridboxHttp.PROVISIONING;
import static mailroom.testing.HybridboxHttp.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The maximum lengths of the Hybridbox door's free-text fields (directory.Text), counted in characters: a 422 in
 * pydantic's shape naming the field, the whole body compared, and nothing stored.
 */
class HybridboxTextLimitsTest {
    private static final String EMOJI = "\uD83D\uDCEC";

    private static MailroomServer server;
    private static HybridboxHttp http;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
        http = new HybridboxHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String json(Object value) {
        return FeishuHttp.JSON.valueToTree(value).toString();
    }

    private static int mailboxCount() {
        return http.call(PROVISIONING, "GET", path(ACME, "/mailboxes?page_size=100"), null).json().get("total").asInt();
    }

    @Test
    void aFirstNameOf129CharactersIsRefusedWith422AndNoMailboxIsMade() {
        int before = mailboxCount();
        String name = "n".repeat(129);
        FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACME, "/mailboxes"),
                json(Map.of("domain", "acme.test", "first_name", name, "last_name", "L", "local_part", "too.long")));
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.text()).isEqualTo("{\"detail\":[{\"type\":\"value_error\",\"loc\":[\"body\",\"first_name\"],"
                + "\"msg\":\"Value error, first_name must be at most 128 characters without control characters\",\"input\":\"" + name + "\"}]}");
        assertThat(mailboxCount()).isEqualTo(before);
        assertThat(http.call(PROVISIONING, "GET", path(ACME, "/mailboxes/too.long@acme.test"), null).status()).isEqualTo(404);
    }

    @Test
    void namesAreCountedInCharactersNotUtf16Units() {
        FeishuHttp.Response ok = http.call(PROVISIONING, "POST", path(ACME, "/mailboxes"),
                json(Map.of("domain", "acme.test", "first_name", EMOJI.repeat(128), "last_name", EMOJI, "local_part", "emoji")));
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(ok.json().get("first_name").asText()).isEqualTo(EMOJI.repeat(128));
        FeishuHttp.Response refused = http.call(PROVISIONING, "PATCH", path(ACME, "/mailboxes/emoji@acme.test"),
                json(Map.of("last_name", EMOJI.repeat(129))));
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().at("/detail/0/loc").toString()).isEqualTo("[\"body\",\"last_name\"]");
        assertThat(http.call(PROVISIONING, "GET", path(ACME, "/mailboxes/emoji@acme.test"), null).json().get("last_name").asText())
                .isEqualTo(EMOJI);
    }

    @Test
    void aServiceAccountNameOf121CharactersIsRefusedAndNoAccountIsMade() {
        String accounts = path(ACME, "/auth/service-accounts");
        String before = http.call(PROVISIONING, "GET", accounts, null).text();
        String name = "s".repeat(121);
        FeishuHttp.Response r = http.call(PROVISIONING, "POST", accounts, json(Map.of("name", name)));
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.text()).isEqualTo("{\"detail\":[{\"type\":\"string_too_long\",\"loc\":[\"body\",\"name\"],"
                + "\"msg\":\"String should have at most 120 characters\",\"input\":\"" + name + "\"}]}");
        assertThat(http.call(PROVISIONING, "GET", accounts, null).text()).isEqualTo(before);
    }
}
