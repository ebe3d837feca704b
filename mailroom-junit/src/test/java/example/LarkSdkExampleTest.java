package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lark.oapi.Client;
import com.lark.oapi.service.contact.v3.model.GetUserReq;
import com.lark.oapi.service.contact.v3.model.GetUserResp;
import com.lark.oapi.service.mail.v1.model.CreateMailgroupReq;
import com.lark.oapi.service.mail.v1.model.CreateMailgroupResp;
import com.lark.oapi.service.mail.v1.model.GetMailgroupReq;
import com.lark.oapi.service.mail.v1.model.GetMailgroupResp;
import com.lark.oapi.service.mail.v1.model.ListMailgroupReq;
import com.lark.oapi.service.mail.v1.model.ListMailgroupResp;
import com.lark.oapi.service.mail.v1.model.Mailgroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mailroom.junit.Fault;
import mailroom.junit.FeishuApp;
import mailroom.junit.MailroomSandbox;
import mailroom.junit.RecordedRequest;
import mailroom.junit.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The documented example (mailroom-junit/README.md): the official Lark Java SDK against an embedded sandbox seeded
 * with world.yaml, each test starting from that seed; the request journal, a fault, the clock and a snapshot.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LarkSdkExampleTest {
    @RegisterExtension
    static final MailroomSandbox mailroom = MailroomSandbox.withSeed("world.yaml");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An SDK client of a seed app, with a token cache of its own. */
    static Client client(String appId) {
        FeishuApp app = mailroom.app(appId);
        return Client.newBuilder(app.appId(), app.appSecret()).openBaseUrl(mailroom.baseUrl())
                .tokenCache(new InMemoryTokenCache()).build();
    }

    static Client example;

    @BeforeAll
    static void sdk() {
        example = client("cli_example");
    }

    static CreateMailgroupResp createGroup(String email, String name) throws Exception {
        return example.mail().v1().mailgroup().create(CreateMailgroupReq.newBuilder()
                .mailgroup(Mailgroup.newBuilder().email(email).name(name).build()).build());
    }

    static GetMailgroupResp getGroup(String idOrEmail) throws Exception {
        return example.mail().v1().mailgroup().get(GetMailgroupReq.newBuilder().mailgroupId(idOrEmail).build());
    }

    @Test
    @Order(1)
    void theSdkCreatesAMailGroupAndSeesIt() throws Exception {
        CreateMailgroupResp created = createGroup("team@example.test", "Team");
        assertThat(created.getCode()).isZero();
        String id = created.getData().getMailgroupId();

        GetMailgroupResp got = getGroup("team@example.test");
        assertThat(got.getCode()).isZero();
        assertThat(got.getData().getMailgroupId()).isEqualTo(id);
        assertThat(got.getData().getName()).isEqualTo("Team");
        ListMailgroupResp list = example.mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().build());
        assertThat(list.getData().getItems()).extracting(Mailgroup::getEmail).containsExactly("team@example.test");
    }

    @Test
    @Order(2)
    void theNextTestStartsFromTheSeedWithoutIt() throws Exception {
        GetMailgroupResp gone = getGroup("team@example.test");
        assertThat(gone.getCode()).isEqualTo(1234013);
        assertThat(gone.getMsg()).isEqualTo("mail group not found");
        ListMailgroupResp list = example.mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().build());
        assertThat(list.getData().getItems()).isNullOrEmpty();
        // The token the SDK got in the first test is still good: a reset keeps issued tokens valid.
        assertThat(mailroom.requests().path("/open-apis/auth/").list()).isEmpty();
    }

    @Test
    @Order(3)
    void theRequestJournalShowsWhatTheSdkSentAndGot() throws Exception {
        String id = createGroup("sales@example.test", "Sales").getData().getMailgroupId();

        RecordedRequest sent = mailroom.requests().door("feishu").method("POST").path("/open-apis/mail/v1/mailgroups").newest();
        assertThat(sent.path()).isEqualTo("/open-apis/mail/v1/mailgroups");
        assertThat(sent.body()).isEqualTo(JSON.readTree("{\"email\":\"sales@example.test\",\"name\":\"Sales\"}"));
        assertThat(sent.header("Authorization")).isEqualTo(RecordedRequest.REDACTED);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.responseCode()).isZero();
        assertThat(sent.responseBody().path("data").path("mailgroup_id").asText()).isEqualTo(id);
        assertThat(sent.responseHeader("X-Tt-Logid")).isEqualTo(sent.logId());
        assertThat(mailroom.requests().appId("cli_example").list()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("POST /open-apis/mail/v1/mailgroups");
    }

    @Test
    @Order(4)
    void aRateLimitFaultGivesTheSdk99991400AndWritesNothing() throws Exception {
        String faultId = mailroom.inject(Fault.feishu("POST /open-apis/mail/v1/mailgroups").answer(Fault.http(429, 99991400)).times(1));

        CreateMailgroupResp refused = createGroup("ops@example.test", "Ops");
        assertThat(refused.getCode()).isEqualTo(99991400);
        assertThat(refused.getMsg()).isEqualTo("request trigger frequency limit");
        assertThat(getGroup("ops@example.test").getCode()).as("nothing was written").isEqualTo(1234013);
        RecordedRequest faulted = mailroom.requests().method("POST").newest();
        assertThat(faulted.status()).isEqualTo(429);
        assertThat(faulted.responseHeader("x-ogw-ratelimit-limit")).isEqualTo("100");
        assertThat(mailroom.faults()).as("times 1: used up").isEmpty();

        assertThat(createGroup("ops@example.test", "Ops").getCode()).as("the retry").isZero();
        assertThat(faultId).startsWith("flt_");
    }

    @Test
    @Order(5)
    void pastTheTokensLifetimeTheTokenInHandIsRefused() throws Exception {
        Client fresh = client("cli_example");
        assertThat(fresh.mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().build()).getCode()).isZero();
        RecordedRequest tokenRequest = mailroom.requests().path("/open-apis/auth/v3/tenant_access_token/internal").newest();
        assertThat(tokenRequest.body()).isEqualTo(JSON.readTree("{\"app_id\":\"cli_example\",\"app_secret\":\"<redacted>\"}"));
        // Feishu answers one token per 90-minute window, so what is left of its 2 hours is from 30 minutes to 2 hours.
        assertThat(tokenRequest.responseBody().path("expire").asInt()).isBetween(1801, 7200);
        assertThat(tokenRequest.responseBody().path("tenant_access_token").asText()).isEqualTo(RecordedRequest.REDACTED);

        Instant now = mailroom.advanceClock(Duration.ofHours(2));
        assertThat(now).isBetween(Instant.now().plusSeconds(7190), Instant.now().plusSeconds(7210));
        // The SDK's cache still holds the token (it expires on the real clock); the server refuses it.
        ListMailgroupResp expired = fresh.mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().build());
        assertThat(expired.getCode()).isEqualTo(99991663);
        // A client that asks for a new token gets one that works at the sandbox's new time.
        assertThat(client("cli_example").mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().build()).getCode()).isZero();
    }

    @Test
    @Order(6)
    void aSnapshotTakesTheStoreBackToIt() throws Exception {
        String team = createGroup("team@example.test", "Team").getData().getMailgroupId();
        String snapshot = mailroom.snapshot("with-team");
        assertThat(mailroom.snapshots()).extracting(Snapshot::id, Snapshot::name).containsExactly(tuple(snapshot, "with-team"));
        createGroup("later@example.test", "Later");

        mailroom.restore(snapshot);
        assertThat(getGroup("team@example.test").getData().getMailgroupId()).isEqualTo(team);
        assertThat(getGroup("later@example.test").getCode()).isEqualTo(1234013);

        mailroom.deleteSnapshot(snapshot);
        assertThat(mailroom.snapshots()).isEmpty();
    }

    @Test
    @Order(7)
    void theSeedsPeopleAndCredentialsAreAtHand() throws Exception {
        GetUserResp alice = example.contact().v3().user().get(GetUserReq.newBuilder().userId("ou_100")
                .departmentIdType("department_id").build());
        assertThat(alice.getCode()).isZero();
        assertThat(alice.getData().getUser().getName()).isEqualTo("Alice Liu");
        assertThat(alice.getData().getUser().getEnterpriseEmail()).isEqualTo("alice@example.test");
        assertThat(alice.getData().getUser().getDepartmentIds()).containsExactly("D100");
        assertThat(mailroom.apps()).containsExactly(
                new FeishuApp("cli_example", "example-secret", "example", List.of("mail:mailgroup", "mail:user_mailbox", "contact:contact",
                        "contact:contact:readonly_as_app")),
                new FeishuApp("cli_reader", "reader-secret", "example", List.of("mail:mailgroup:readonly", "contact:contact:readonly_as_app")));
        assertThat(mailroom.serviceAccount("example", "provisioning").token()).isEqualTo("hbx_sa_example_provisioning");
        assertThat(mailroom.baseUrl()).isEqualTo("http://127.0.0.1:" + mailroom.port());
    }
}
