package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.lark.oapi.Client;
import com.lark.oapi.core.response.BaseResponse;
import com.lark.oapi.service.mail.v1.model.BatchCreateMailgroupMemberReq;
import com.lark.oapi.service.mail.v1.model.BatchCreateMailgroupMemberReqBody;
import com.lark.oapi.service.mail.v1.model.CreateMailgroupReq;
import com.lark.oapi.service.mail.v1.model.ListMailgroupMemberReq;
import com.lark.oapi.service.mail.v1.model.Mailgroup;
import com.lark.oapi.service.mail.v1.model.MailgroupMember;
import com.lark.oapi.service.mail.v1.model.QueryUserReq;
import com.lark.oapi.service.mail.v1.model.QueryUserReqBody;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.LarkSdk;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole tenant made through the operator door alone — a server started without any seed, then the tenant, a
 * second domain, a Feishu app (its secret from the answer), departments, users with addresses and a Hybridbox
 * service account — and then driven by the official Lark Java SDK and by the Hybridbox door.
 */
class WholeTenantThroughAdminApiTest {
    private static final String ACCOUNT = "5e1f0c2a-7b3d-4e8f-9a6b-0c1d2e3f4a5b";
    private static final String T = "/admin/v1/tenants/initech";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTenantProvisionedOnlyThroughTheAdminApiServesTheLarkSdkAndTheHybridboxDoor(Backend backend) throws Exception {
        Path dir = Files.createTempDirectory("mailroom-whole-tenant");
        Path tokenFile = dir.resolve("admin-token");
        MailroomServer.Options empty = TestServers.options(backend, dir);
        MailroomServer.Options options = new MailroomServer.Options(empty.host(), 0, dir, empty.databaseUrl(), List.of(), false)
                .withAdminTokenFile(tokenFile);
        try (MailroomServer server = MailroomServer.start(options)) {
            FeishuHttp http = new FeishuHttp(server.port());
            String admin = "Bearer " + Files.readString(tokenFile).trim();
            assertThat(send(http, admin, "GET", "/admin/v1/tenants", null, 200).get("items")).as("no seed: no tenant").isEmpty();

            // The operator door, and nothing else, builds the tenant.
            send(http, admin, "POST", "/admin/v1/tenants", """
                    {"key": "initech", "name": "Initech", "domains": ["initech.test"], "hybridbox_account_id": "%s"}"""
                    .formatted(ACCOUNT), 201);
            send(http, admin, "POST", T + "/domains", "{\"domain\": \"mail.initech.test\"}", 201);
            JsonNode app = send(http, admin, "POST", T + "/apps",
                    "{\"scopes\": [\"mail:mailgroup\", \"mail:user_mailbox\", \"contact:user.employee_id:readonly\"]}", 201);
            String appId = app.get("app_id").asText();
            String appSecret = app.get("app_secret").asText();
            send(http, admin, "POST", T + "/departments", "{\"department_id\": \"D1\", \"name\": \"Engineering\"}", 201);
            send(http, admin, "POST", T + "/departments", "{\"department_id\": \"D2\", \"name\": \"Platform\", \"parent\": \"D1\"}", 201);
            String[][] people = {
                {"peter", "Peter Gibbons", "peter@initech.test", "D1"},
                {"samir", "Samir Nagheenanajar", "samir@initech.test", "D2"},
                {"michael", "Michael Bolton", "michael@mail.initech.test", "D2"}};
            for (String[] p : people) {
                JsonNode user = send(http, admin, "POST", T + "/users", """
                        {"user_id": "%s", "name": "%s", "email": "%s", "departments": ["%s"]}""".formatted(p[0], p[1], p[2], p[3]), 201);
                assertThat(user.get("mailbox").get("status").asText()).isEqualTo("active");
            }
            JsonNode account = send(http, admin, "POST", T + "/service-accounts",
                    "{\"name\": \"provisioning\", \"permissions\": [\"mailbox.view\", \"domain.view\"]}", 201);
            String serviceToken = account.get("token").asText();
            assertThat(send(http, admin, "GET", T + "/users?department=D1", null, 200).get("items")).hasSize(3);

            // The official Lark Java SDK, with the app the operator door made.
            Client sdk = Client.newBuilder(appId, appSecret).openBaseUrl("http://127.0.0.1:" + server.port())
                    .tokenCache(new LarkSdk.MapCache()).requestTimeout(10, TimeUnit.SECONDS).build();
            String groupId = ok(sdk.mail().v1().mailgroup().create(CreateMailgroupReq.newBuilder()
                    .mailgroup(Mailgroup.newBuilder().email("tps@initech.test").name("TPS reports").build()).build()))
                    .getData().getMailgroupId();
            MailgroupMember[] added = ok(sdk.mail().v1().mailgroupMember().batchCreate(BatchCreateMailgroupMemberReq.newBuilder()
                    .mailgroupId(groupId).userIdType("user_id").batchCreateMailgroupMemberReqBody(
                            BatchCreateMailgroupMemberReqBody.newBuilder().items(new MailgroupMember[]{
                                MailgroupMember.newBuilder().type("USER").userId("peter").build(),
                                MailgroupMember.newBuilder().type("USER").userId("samir").build(),
                                MailgroupMember.newBuilder().type("USER").userId("michael").build()}).build()).build()))
                    .getData().getItems();
            assertThat(added).hasSize(3);
            MailgroupMember[] listed = ok(sdk.mail().v1().mailgroupMember().list(ListMailgroupMemberReq.newBuilder()
                    .mailgroupId(groupId).userIdType("user_id").build())).getData().getItems();
            assertThat(Arrays.stream(listed).map(MailgroupMember::getUserId)).containsExactly("peter", "samir", "michael");
            com.lark.oapi.service.mail.v1.model.User[] answers = ok(sdk.mail().v1().user().query(QueryUserReq.newBuilder()
                    .queryUserReqBody(QueryUserReqBody.newBuilder().emailList(new String[]{
                        "peter@initech.test", "samir@initech.test", "michael@mail.initech.test", "tps@initech.test",
                        "nobody@initech.test"}).build()).build())).getData().getUserList();
            List<String> states = new ArrayList<>();
            for (var a : answers) states.add(a.getEmail() + " " + a.getStatus() + " " + a.getType());
            assertThat(states).containsExactly("peter@initech.test 4 1", "samir@initech.test 4 1",
                    "michael@mail.initech.test 4 1", "tps@initech.test 4 5", "nobody@initech.test 3 null");

            // The Hybridbox door, with the service account the operator door made.
            FeishuHttp.Response mailboxes = http.send("GET", "/v1/public/accounts/" + ACCOUNT + "/mailboxes",
                    "Bearer " + serviceToken, null);
            assertThat(mailboxes.status()).as(mailboxes.text()).isEqualTo(200);
            List<String> listedMailboxes = new ArrayList<>();
            for (JsonNode m : mailboxes.json().get("items")) listedMailboxes.add(m.get("primary_email").asText());
            assertThat(listedMailboxes).containsExactly("peter@initech.test", "samir@initech.test", "michael@mail.initech.test");
            assertThat(mailboxes.json().get("total").asInt()).isEqualTo(3);

            // And the operator door sees what the SDK made, with the SDK's id.
            JsonNode owner = send(http, admin, "GET", T + "/addresses/tps@initech.test", null, 200);
            assertThat(owner.get("owner_kind").asText()).isEqualTo("mail_group");
            assertThat(owner.get("owner_id").asText()).isEqualTo(groupId);
        }
    }

    private static JsonNode send(FeishuHttp http, String auth, String method, String path, String body, int status) {
        FeishuHttp.Response r = http.send(method, path, auth, body);
        assertThat(r.status()).as("%s %s: %s", method, path, r.text()).isEqualTo(status);
        return r.json();
    }

    private static <R extends BaseResponse<?>> R ok(R resp) {
        assertThat(resp.getCode()).as("%s: %s", resp.getClass().getSimpleName(), resp.getMsg()).isZero();
        return resp;
    }
}
