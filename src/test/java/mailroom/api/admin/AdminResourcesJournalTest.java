package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.access.Secrets;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/**
 * Every write of the domains, apps, service-accounts and departments routes is journalled once, as the
 * operator token with the request's id, and no journal state holds a secret, a token or a hash of one.
 */
class AdminResourcesJournalTest {
    @Test
    void eachWriteIsOneJournalEntryOfTheOperatorAndNoneHoldsASecret() {
        try (AdminHttp admin = AdminHttp.start(Backend.SQLITE)) {
            String operator = admin.server().directory().operatorTokens().authenticate(admin.adminToken()).orElseThrow().id();
            long start = admin.server().directory().journal().lastSeq();
            List<String> requestIds = new ArrayList<>();
            List<String> secrets = new ArrayList<>();
            String base = "/admin/v1/tenants/acme";

            write(admin, requestIds, "POST", base + "/domains", "{\"domain\":\"ops.acme.test\"}", 201);
            write(admin, requestIds, "DELETE", base + "/domains/ops.acme.test", null, 204);
            secrets.add(write(admin, requestIds, "POST", base + "/apps", "{\"app_id\":\"cli_j\",\"scopes\":[]}", 201)
                    .json().get("app_secret").asText());
            write(admin, requestIds, "PATCH", base + "/apps/cli_j", "{\"scopes\":[\"mail:mailgroup\"]}", 200);
            secrets.add(write(admin, requestIds, "POST", base + "/apps/cli_j/rotate-secret", null, 200).json().get("app_secret").asText());
            write(admin, requestIds, "DELETE", base + "/apps/cli_j", null, 204);
            FeishuHttp.Response account = write(admin, requestIds, "POST", base + "/service-accounts",
                    "{\"name\":\"j\",\"permissions\":[\"mailbox.view\"]}", 201);
            secrets.add(account.json().get("token").asText());
            write(admin, requestIds, "DELETE", base + "/service-accounts/" + account.json().get("id").asText(), null, 204);
            write(admin, requestIds, "POST", base + "/departments", "{\"department_id\":\"DJ\",\"name\":\"J\"}", 201);
            write(admin, requestIds, "PATCH", base + "/departments/DJ", "{\"parent\":\"D100\"}", 200);
            write(admin, requestIds, "DELETE", base + "/departments/DJ", null, 204);

            List<Change.Entry> entries = admin.server().directory().journal().after(start, 100);
            assertThat(entries).extracting(e -> e.change().objectKind() + " " + e.change().op()).containsExactly(
                    "DOMAIN CREATE", "DOMAIN DELETE", "APP CREATE", "APP UPDATE", "APP UPDATE", "APP DELETE",
                    "SERVICE_ACCOUNT CREATE", "SERVICE_ACCOUNT UPDATE", "DEPARTMENT CREATE", "DEPARTMENT UPDATE", "DEPARTMENT DELETE");
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.get(i).change().caller())
                        .isEqualTo(new Caller("acme", Caller.ActorKind.OPERATOR, operator, requestIds.get(i)));
            }
            String journalled = entries.stream().map(e -> e.change().before() + " " + e.change().after()).toList().toString();
            for (String secret : secrets) {
                assertThat(journalled).doesNotContain(secret).doesNotContain(Secrets.hashToken(secret));
            }
            assertThat(journalled).doesNotContain("pbkdf2");
        }
    }

    private static FeishuHttp.Response write(AdminHttp admin, List<String> requestIds, String method, String path, String body,
                                             int status) {
        FeishuHttp.Response r = admin.send(method, path, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.text()).isEqualTo(status);
        requestIds.add(r.header("x-request-id"));
        return r;
    }
}
