package mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.core.cache.ICache;
import com.lark.oapi.service.mail.v1.model.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.JournalSecrets;
import org.junit.jupiter.api.Test;

/** The README's five-minute walk-through, step by step, against a server started like `--demo`. */
class ReadmeWalkthroughTest {
    @Test
    void theCurlAndSdkWalkthroughOfTheReadmeWorksOnTheDemoTenant() throws Exception {
        Path data = Files.createTempDirectory("mailroom-readme");
        JournalSecrets.watch(data);
        MailroomServer.Options options = new MailroomServer.Options("127.0.0.1", 0, data, null, List.of(Seeder.demo()), true);
        try (MailroomServer server = MailroomServer.start(options)) {
            FeishuHttp http = new FeishuHttp(server.port());
            FeishuHttp.Response token = http.send("POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                    "{\"app_id\":\"cli_demo00000001\",\"app_secret\":\"demo-secret\"}");
            assertThat(token.json().get("code").asInt()).isZero();
            String bearer = "Bearer " + token.json().get("tenant_access_token").asText();

            FeishuHttp.Response group = http.send("POST", "/open-apis/mail/v1/mailgroups", bearer,
                    "{\"email\":\"sales@demo.test\",\"name\":\"Sales\",\"who_can_send_mail\":\"ALL_INTERNAL_USERS\"}");
            assertThat(group.json().at("/data/email").asText()).isEqualTo("sales@demo.test");

            FeishuHttp.Response members = http.send("POST",
                    "/open-apis/mail/v1/mailgroups/sales@demo.test/members/batch_create?user_id_type=user_id", bearer,
                    "{\"items\":[{\"type\":\"USER\",\"user_id\":\"u100\"},"
                            + "{\"type\":\"EXTERNAL_USER\",\"email\":\"partner@example.org\"},{\"type\":\"COMPANY\"}]}");
            assertThat(members.json().at("/data/items").size()).isEqualTo(3);

            FeishuHttp.Response managers = http.send("POST", "/open-apis/mail/v1/mailgroups/sales@demo.test/managers/batch_create",
                    bearer, "{\"mailgroup_manager_list\":[{\"user_id\":\"ou_200\"}]}");
            assertThat(managers.json().get("code").asInt()).isZero();

            FeishuHttp.Response alias = http.send("POST", "/open-apis/mail/v1/user_mailboxes/alice@demo.test/aliases",
                    bearer, "{\"email_alias\":\"a.liu@demo-mail.test\"}");
            assertThat(alias.json().at("/data/user_mailbox_alias/email_alias").asText()).isEqualTo("a.liu@demo-mail.test");
            FeishuHttp.Response taken = http.send("POST", "/open-apis/mail/v1/mailgroups", bearer,
                    "{\"email\":\"a.liu@demo-mail.test\"}");
            assertThat(taken.status()).isEqualTo(409);
            assertThat(taken.json().get("code").asInt()).isEqualTo(1234006);

            String hbx = "/v1/public/accounts/6f1c2a4e-3b7d-4c8e-9a10-2b3c4d5e6f70";
            String hbxAuth = "Bearer hbx_sa_demo_provisioning";
            FeishuHttp.Response bulk = http.send("POST", hbx + "/mailboxes/bulk", hbxAuth, """
                    {"domain": "demo.test",
                     "items": [{"first_name":"Erin","last_name":"Ng","local_part":"erin"},
                               {"first_name":"Sam","last_name":"Sales","local_part":"sales"},
                               {"first_name":"Bad","last_name":"Name","local_part":"no spaces"}]}""");
            assertThat(bulk.json().at("/created/0/mailbox/primary_email").asText()).isEqualTo("erin@demo.test");
            assertThat(bulk.json().at("/failed").toString()).contains("\"index\":1", "address_taken",
                    "\"index\":2", "invalid_local_part");
            FeishuHttp.Response erinAlias = http.send("POST", "/open-apis/mail/v1/user_mailboxes/erin@demo.test/aliases",
                    bearer, "{\"email_alias\":\"e.ng@demo.test\"}");
            assertThat(erinAlias.json().get("code").asInt()).isZero();
            FeishuHttp.Response query = http.send("POST", "/open-apis/mail/v1/users/query", bearer,
                    "{\"email_list\":[\"erin@demo.test\",\"e.ng@demo.test\",\"nobody@demo.test\"]}");
            assertThat(query.json().at("/data/user_list").toString()).isEqualTo("[{\"email\":\"erin@demo.test\",\"status\":4,"
                    + "\"type\":1},{\"email\":\"e.ng@demo.test\",\"status\":4,\"type\":2},{\"email\":\"nobody@demo.test\",\"status\":3}]");
            FeishuHttp.Response search = http.send("GET", hbx + "/mailboxes?search=erin", hbxAuth, null);
            assertThat(search.json().get("total").asInt()).isEqualTo(1);

            Client client = Client.newBuilder("cli_demo00000001", "demo-secret")
                    .openBaseUrl(http.base()).tokenCache(new MapCache()).build();
            CreateMailgroupResp created = client.mail().v1().mailgroup().create(CreateMailgroupReq.newBuilder()
                    .mailgroup(Mailgroup.newBuilder().email("eng@demo.test").name("Engineering")
                            .whoCanSendMail("ANYONE").build())
                    .build());
            assertThat(created.getCode()).isZero();
            assertThat(created.getData().getMailgroupId()).isNotBlank();
            BatchCreateMailgroupManagerResp manager = client.mail().v1().mailgroupManager().batchCreate(
                    BatchCreateMailgroupManagerReq.newBuilder()
                            .mailgroupId("eng@demo.test").userIdType("open_id")
                            .batchCreateMailgroupManagerReqBody(BatchCreateMailgroupManagerReqBody.newBuilder()
                                    .mailgroupManagerList(new MailgroupManager[]{MailgroupManager.newBuilder().userId("ou_300").build()})
                                    .build())
                            .build());
            assertThat(manager.getCode()).isZero();
            ListMailgroupManagerResp listed = client.mail().v1().mailgroupManager().list(ListMailgroupManagerReq.newBuilder()
                    .mailgroupId(created.getData().getMailgroupId()).userIdType("user_id").build());
            assertThat(listed.getData().getItems()).extracting(MailgroupManager::getUserId).containsExactly("u300");
        }
    }

    /** A private token cache, so this client never shares the SDK's process-wide one. */
    static final class MapCache implements ICache {
        private final Map<String, String> values = new ConcurrentHashMap<>();

        @Override
        public String get(String key) {
            return values.get(key);
        }

        @Override
        public void set(String key, String value, int expire, TimeUnit unit) {
            values.put(key, value);
        }
    }
}
