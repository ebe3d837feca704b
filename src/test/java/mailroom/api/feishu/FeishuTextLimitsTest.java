package mailroom.api.feishu;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import mailroom.directory.PageRequest;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The maximum lengths of the Feishu door's free-text fields (directory.Text), counted in characters: exact
 * refusals naming the field, and nothing stored; the bodies compared whole, the log id left out.
 */
class FeishuTextLimitsTest {
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    private static final String BOXES = "/open-apis/mail/v1/public_mailboxes";
    /** A character outside the BMP: one character, two UTF-16 units. */
    private static final String EMOJI = "\uD83D\uDCEC";

    private static MailroomServer server;
    private static FeishuHttp http;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
        http = new FeishuHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(Map<String, String> fields) {
        return FeishuHttp.JSON.valueToTree(fields).toString();
    }

    /** The body without error.log_id, which must be the X-Tt-Logid header. */
    private static JsonNode withoutLogId(FeishuHttp.Response r) {
        JsonNode body = r.json();
        assertThat(body.at("/error/log_id").asText()).isEqualTo(r.header("x-tt-logid"));
        ((ObjectNode) body.get("error")).remove("log_id");
        return body;
    }

    private static void assertRefused(FeishuHttp.Response r, String msg, String field, int max) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        String description = field + " must be at most " + max + " characters";
        assertThat(withoutLogId(r).toString()).isEqualTo("{\"code\":1234008,\"msg\":\"" + msg + "\",\"error\":{\"message\":\""
                + description + "\",\"field_violations\":[{\"field\":\"" + field + "\",\"description\":\"" + description + "\"}]}}");
    }

    private static long groupsOfAcme() {
        return server.directory().mailGroups().list(as("acme"), null, new PageRequest(null, 200)).items().size();
    }

    @Test
    void aMailGroupNameIsCountedInCharactersNotUtf16Units() {
        long before = groupsOfAcme();
        FeishuHttp.Response ok = http.call("cli_full", "POST", GROUPS, body(Map.of("email", "emoji@acme.test", "name", EMOJI.repeat(255))));
        assertThat(ok.json().get("code").asInt()).as(ok.text()).isZero();
        assertThat(ok.json().at("/data/name").asText()).isEqualTo(EMOJI.repeat(255));
        assertRefused(http.call("cli_full", "POST", GROUPS, body(Map.of("email", "emoji2@acme.test", "name", EMOJI.repeat(256)))),
                "request parameter error", "name", 255);
        assertThat(groupsOfAcme()).isEqualTo(before + 1);
        assertThat(http.call("cli_full", "GET", GROUPS + "/emoji2@acme.test", null).json().get("code").asInt()).isEqualTo(1234013);
    }

    @Test
    void aMailGroupNameOfHalfAMebibyteIsRefusedAndNothingIsStored() {
        long before = groupsOfAcme();
        long addresses = server.directory().addressLookup().total();
        assertRefused(http.call("cli_full", "POST", GROUPS, body(Map.of("email", "huge@acme.test", "name", "x".repeat(1 << 19)))),
                "request parameter error", "name", 255);
        assertThat(groupsOfAcme()).isEqualTo(before);
        assertThat(server.directory().addressLookup().total()).isEqualTo(addresses);
    }

    @Test
    void aPatchOrPutWithAnOverLongFieldChangesNothing() {
        String id = http.call("cli_full", "POST", GROUPS, body(Map.of("email", "keep@acme.test", "name", "Keep", "description", "kept")))
                .json().at("/data/mailgroup_id").asText();
        assertRefused(http.call("cli_full", "PATCH", GROUPS + "/" + id, body(Map.of("name", "n".repeat(256)))),
                "request parameter error", "name", 255);
        assertRefused(http.call("cli_full", "PUT", GROUPS + "/" + id, body(Map.of("email", "moved@acme.test", "description", "d".repeat(1025)))),
                "request parameter error", "description", 1024);
        JsonNode group = http.call("cli_full", "GET", GROUPS + "/" + id, null).json().get("data");
        assertThat(group.get("email").asText()).isEqualTo("keep@acme.test");
        assertThat(group.get("name").asText()).isEqualTo("Keep");
        assertThat(group.get("description").asText()).isEqualTo("kept");
        assertThat(http.call("cli_full", "GET", GROUPS + "/moved@acme.test", null).json().get("code").asInt()).isEqualTo(1234013);
    }

    @Test
    void aPublicMailboxNameIsCountedInCharactersAndRefusedWithItsOwnMessage() {
        FeishuHttp.Response ok = http.call("cli_full", "POST", BOXES, body(Map.of("email", "emoji-box@acme.test", "name", EMOJI.repeat(255))));
        assertThat(ok.json().get("code").asInt()).as(ok.text()).isZero();
        assertRefused(http.call("cli_full", "POST", BOXES, body(Map.of("email", "emoji-box2@acme.test", "name", EMOJI.repeat(256)))),
                "email or name is invalid", "name", 255);
        assertThat(http.call("cli_full", "GET", BOXES + "/emoji-box2@acme.test", null).json().get("code").asInt()).isEqualTo(1234016);
        String id = ok.json().at("/data/public_mailbox_id").asText();
        assertRefused(http.call("cli_full", "PATCH", BOXES + "/" + id, body(Map.of("name", "n".repeat(256)))),
                "request parameter error", "name", 255);
        assertThat(http.call("cli_full", "GET", BOXES + "/" + id, null).json().at("/data/name").asText()).isEqualTo(EMOJI.repeat(255));
    }
}
