package mailroom.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension's own API against its embedded sandbox: each control as the server answers it, and its refusals. */
class MailroomSandboxControlsTest {
    @RegisterExtension
    static final MailroomSandbox mailroom = MailroomSandbox.withSeed("/world.yaml");

    static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    static final String MAILBOXES = "/v1/public/accounts/0b9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f/mailboxes";

    @Test
    void aTestMethodMayTakeTheSandboxAsAParameter(MailroomSandbox injected) {
        assertThat(injected).isSameAs(mailroom);
    }

    @Test
    void theSeedsCredentialsAreListedInTheSeedsOrder() {
        assertThat(mailroom.apps()).extracting(FeishuApp::appId).containsExactly("cli_example", "cli_reader");
        assertThat(mailroom.app("cli_reader")).isEqualTo(new FeishuApp("cli_reader", "reader-secret", "example",
                List.of("mail:mailgroup:readonly", "contact:contact:readonly_as_app")));
        assertThat(mailroom.serviceAccounts()).containsExactly(new ServiceAccount("example", "0b9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
                "provisioning", "hbx_sa_example_provisioning",
                List.of("mailbox.view", "mailbox.create", "mailbox.update", "mailbox.delete", "mailbox.alias.manage", "domain.view")));
        assertThatThrownBy(() -> mailroom.app("cli_nosuch")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("the seed has no Feishu app cli_nosuch (it has [cli_example, cli_reader])");
        assertThatThrownBy(() -> mailroom.serviceAccount("example", "nobody")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("the seed has no service account nobody in tenant example");
    }

    @Test
    void theAdminTokenOpensTheOperatorDoor() throws Exception {
        RawHttp.Answer tenants = RawHttp.send(mailroom.baseUrl(), "GET", "/admin/v1/tenants", mailroom.adminToken(), null);
        assertThat(tenants.status()).isEqualTo(200);
        assertThat(tenants.json().path("items").findValuesAsText("key")).containsExactly("example");
        assertThat(RawHttp.send(mailroom.baseUrl(), "GET", "/healthz", null, null).text())
                .isEqualTo("{\"status\":\"ok\",\"store\":\"sqlite\",\"mode\":\"sandbox\"}");
    }

    @Test
    void aRefusedControlThrowsWithTheProblemDetails() {
        SandboxException bad = catchThrowableOfType(SandboxException.class,
                () -> mailroom.inject(Fault.feishu("POST /open-apis/mail/v1/nosuch").answer(Fault.http(700))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.problem().path("type").asText()).isEqualTo("urn:mailroom:problem:validation");
        assertThat(bad.getMessage()).startsWith("POST /sandbox/v1/faults: HTTP 400 The request is not valid")
                .contains("(route: is no route of door feishu (a line of the route table, e.g. ")
                .endsWith("; answer.http: must be an HTTP error status from 400 to 599)");

        SandboxException missing = catchThrowableOfType(SandboxException.class, () -> mailroom.removeFault("flt_999"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.getMessage()).isEqualTo("DELETE /sandbox/v1/faults/flt_999: HTTP 404 Not found: no fault flt_999");

        SandboxException noSnapshot = catchThrowableOfType(SandboxException.class, () -> mailroom.restore("snp_nosuch"));
        assertThat(noSnapshot.getMessage()).isEqualTo("POST /sandbox/v1/snapshots/snp_nosuch/restore: HTTP 404 Not found: no snapshot snp_nosuch");

        assertThatThrownBy(() -> mailroom.advanceClock(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the sandbox's clock moves by whole seconds, not PT1.5S");
    }

    @Test
    void faultsAreListedAsInjectedAndRemovedOneByOneOrAll() {
        String first = mailroom.inject(Fault.feishu("GET " + GROUPS).appId("cli_reader").answer(Fault.http(500, 1230003)).times(3));
        String second = mailroom.inject(Fault.hybridbox("GET /v1/public/accounts/{account_id}/mailboxes")
                .answer(Fault.delay(Duration.ofMillis(250))).probability(0.5).seed(42));
        String third = mailroom.inject(Fault.feishu("DELETE " + GROUPS + "/:mailgroup_id").answer(Fault.drop()));

        List<InjectedFault> faults = mailroom.faults();
        assertThat(faults).extracting(InjectedFault::id).containsExactly(first, second, third);
        InjectedFault listed = faults.get(0);
        assertThat(listed).isEqualTo(new InjectedFault(first, "feishu", "GET " + GROUPS, "cli_reader", new Fault.Http(500, 1230003), 3, 3,
                null, listed.createdAt()));
        assertThat(listed.createdAt()).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(1));
        assertThat(faults.get(1).answer()).isEqualTo(Fault.delay(Duration.ofMillis(250)));
        assertThat(faults.get(1).probability()).isEqualTo(0.5);
        assertThat(faults.get(1).times()).isNull();
        assertThat(faults.get(2).answer()).isEqualTo(Fault.drop());

        mailroom.removeFault(second);
        assertThat(mailroom.faults()).extracting(InjectedFault::id).containsExactly(first, third);
        mailroom.clearFaults();
        assertThat(mailroom.faults()).isEmpty();
    }

    @Test
    void aFaultNamingOneAppSparesTheOthers() throws Exception {
        mailroom.inject(Fault.feishu("GET " + GROUPS).appId("cli_reader").answer(Fault.http(500, 1230003)));
        RawHttp.Answer reader = RawHttp.send(mailroom.baseUrl(), "GET", GROUPS, RawHttp.tenantToken(mailroom, "cli_reader"), null);
        assertThat(reader.status()).isEqualTo(500);
        assertThat(reader.json().path("code").asInt()).isEqualTo(1230003);
        RawHttp.Answer example = RawHttp.send(mailroom.baseUrl(), "GET", GROUPS, RawHttp.tenantToken(mailroom, "cli_example"), null);
        assertThat(example.status()).isEqualTo(200);
        assertThat(mailroom.requests().path(GROUPS).appId("cli_reader").list()).extracting(RecordedRequest::status).containsExactly(500);
    }

    @Test
    void aDroppedConnectionIsRecordedWithoutAnAnswerAndAHybridboxFaultInItsOwnFormat() throws Exception {
        mailroom.inject(Fault.feishu("GET " + GROUPS).answer(Fault.drop()));
        String token = RawHttp.tenantToken(mailroom, "cli_example");
        assertThatThrownBy(() -> RawHttp.send(mailroom.baseUrl(), "GET", GROUPS, token, null)).isInstanceOf(IOException.class);
        RecordedRequest dropped = mailroom.requests().path(GROUPS).newest();
        assertThat(dropped.status()).isNull();
        assertThat(dropped.responseBody()).isNull();
        assertThat(dropped.responseHeaders()).isNull();

        mailroom.inject(Fault.hybridbox("GET /v1/public/accounts/{account_id}/mailboxes").answer(Fault.http(503)).times(1));
        RawHttp.Answer unavailable = RawHttp.send(mailroom.baseUrl(), "GET", MAILBOXES,
                mailroom.serviceAccount("example", "provisioning").token(), null);
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.text()).isEqualTo("{\"detail\":\"Service Unavailable\"}");
        RecordedRequest recorded = mailroom.requests().door("hybridbox").newest();
        assertThat(recorded.path()).isEqualTo(MAILBOXES);
        assertThat(recorded.header("authorization")).isEqualTo(RecordedRequest.REDACTED);
        assertThat(recorded.status()).isEqualTo(503);
    }

    @Test
    void theJournalIsFilteredBySinceAndLimitAndCleared() throws Exception {
        String token = RawHttp.tenantToken(mailroom, "cli_example");
        for (int i = 0; i < 3; i++) RawHttp.send(mailroom.baseUrl(), "GET", GROUPS + "?page_size=" + (i + 1), token, null);
        List<RecordedRequest> all = mailroom.requests().path(GROUPS).list();
        assertThat(all).extracting(r -> r.queryParameter("page_size")).containsExactly("3", "2", "1");
        assertThat(mailroom.requests().path(GROUPS).limit(2).list()).extracting(RecordedRequest::id)
                .containsExactly(all.get(0).id(), all.get(1).id());
        assertThat(mailroom.requests().path(GROUPS).since(all.get(0).time()).list()).extracting(RecordedRequest::id).contains(all.get(0).id());
        assertThat(mailroom.requests().since(Instant.now().plusSeconds(60)).list()).isEmpty();
        assertThat(mailroom.requests().door("hybridbox").list()).isEmpty();

        mailroom.clearRequests();
        assertThat(mailroom.requests().list()).isEmpty();
        assertThatThrownBy(() -> mailroom.requests().newest()).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> mailroom.requests().limit(0).list()).isInstanceOf(SandboxException.class)
                .hasMessageEndingWith("(limit: must be an integer from 1 to 1000)");
    }

    @Test
    void theClockIsSetAndPutBackToRealTime() {
        Instant set = mailroom.setClock(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(set).isBetween(Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:05Z"));
        assertThat(mailroom.advanceClock(Duration.ofDays(1))).isBetween(Instant.parse("2027-01-02T00:00:00Z"),
                Instant.parse("2027-01-02T00:00:05Z"));
        Instant real = mailroom.resetClock();
        assertThat(real).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(1));
    }

    @Test
    void aResetAnswersHowManyTenantsItPutBackAndMayRevokeTokens() throws Exception {
        String token = RawHttp.tenantToken(mailroom, "cli_example");
        RawHttp.send(mailroom.baseUrl(), "POST", GROUPS, token, "{\"email\":\"kept@example.test\"}");
        mailroom.inject(Fault.feishu("DELETE " + GROUPS + "/:mailgroup_id").answer(Fault.drop()));

        ResetResult kept = mailroom.reset();
        assertThat(kept.tenants()).isEqualTo(1);
        assertThat(kept.tookMs()).isBetween(0L, 5_000L);
        assertThat(mailroom.faults()).isEmpty();
        assertThat(mailroom.requests().list()).isEmpty();
        RawHttp.Answer gone = RawHttp.send(mailroom.baseUrl(), "GET", GROUPS + "/kept@example.test", token, null);
        assertThat(gone.json().path("code").asInt()).as("the group is gone, the token still good").isEqualTo(1234013);

        mailroom.reset(true);
        RawHttp.Answer revoked = RawHttp.send(mailroom.baseUrl(), "GET", GROUPS, token, null);
        assertThat(revoked.json().path("code").asInt()).isEqualTo(99991663);
        assertThat(RawHttp.send(mailroom.baseUrl(), "GET", GROUPS, RawHttp.tenantToken(mailroom, "cli_example"), null).status())
                .as("a new token").isEqualTo(200);
    }

    /** Nested classes share the sandbox of the class around them, reset before each of their tests too. */
    @Nested
    class InANestedClass {
        @Test
        void theSandboxIsTheOneAroundItAndStartsFromTheSeed(MailroomSandbox injected) throws Exception {
            assertThat(injected).isSameAs(mailroom);
            assertThat(mailroom.requests().list()).isEmpty();
            assertThat(mailroom.faults()).isEmpty();
        }
    }
}
