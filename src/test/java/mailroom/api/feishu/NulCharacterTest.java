package mailroom.api.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** U+0000 in a path id, a query value or a body string is refused the same way on both databases. */
class NulCharacterTest {
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nulAnywhereInARequestIsA99992402NamingTheFieldAndChangesNothing(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            FeishuHttp http = new FeishuHttp(server.port());
            String before = http.call("cli_full", "GET", GROUPS, null).json().at("/data").toString();

            expectNul(http.call("cli_full", "GET", GROUPS + "/a%00b", null), "mailgroup_id");
            expectNul(http.call("cli_full", "GET", GROUPS + "?manager_user_id=ou%00_100", null), "manager_user_id");
            expectNul(http.call("cli_full", "POST", GROUPS, "{\"email\":\"nul@acme.test\",\"name\":\"a\\u0000b\"}"), "name");
            expectNul(http.call("cli_full", "POST", "/open-apis/mail/v1/public_mailboxes",
                    "{\"email\":\"nul@acme.test\",\"name\":\"x\\u0000\"}"), "name");
            expectNul(http.call("cli_full", "POST", "/open-apis/mail/v1/users/query",
                    "{\"email_list\":[\"alice@acme.test\",\"a\\u0000@acme.test\"]}"), "email_list[1]");

            FeishuHttp.Response token = http.send("POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                    "{\"app_id\":\"cli_full\\u0000\",\"app_secret\":\"secret-full\"}");
            assertThat(token.status()).as(token.text()).isEqualTo(200);
            assertThat(token.json().get("code").asInt()).isEqualTo(10003);

            assertThat(http.call("cli_full", "GET", GROUPS, null).json().at("/data").toString()).isEqualTo(before);
        }
    }

    private static void expectNul(FeishuHttp.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("code").asInt()).isEqualTo(99992402);
        assertThat(r.json().at("/error/field_violations")).isEqualTo(FeishuHttp.JSON.createArrayNode().add(
                FeishuHttp.JSON.createObjectNode().put("field", field)
                        .put("description", field + " must not contain the NUL character")));
    }
}
