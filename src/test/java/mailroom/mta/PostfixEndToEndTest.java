package mailroom.mta;

import static mailroom.testing.HybridboxHttp.ACME;
import static mailroom.testing.HybridboxHttp.PROVISIONING;
import static mailroom.testing.HybridboxHttp.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.MailSystem;
import mailroom.testing.SmtpClient;
import mailroom.testing.SmtpClient.Reply;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The MTA door proven with a real Postfix and Dovecot: Mailroom, provisioned only through its Feishu
 * and Hybridbox APIs, answers Postfix's socketmap and policy questions, and mail lands in Maildirs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostfixEndToEndTest {
    private static final String APP = "cli_full";
    private static final String MAIL = "/open-apis/mail/v1";
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Map<String, String> LOGINS = Map.of(
            "alice@acme.test", "alice-pw", "bob@acme.test", "bob-pw", "carol@acme.test", "carol-pw", "erin@acme.test", "erin-pw");

    private static MailroomServer server;
    private static FeishuHttp feishu;
    private static MailSystem mail;

    @BeforeAll
    static void start() {
        MailSystem.assumeAvailable();
        server = TestServers.startWithMta(TestServers.Backend.SQLITE, DeliveryRules.DEFAULTS, "127.0.0.0/8");
        feishu = new FeishuHttp(server.port());
        provision();
        mail = MailSystem.start(MailSystem.mailroomMainCf(server.socketmapPort(), server.policyPort()), LOGINS);
    }

    @AfterAll
    static void stop() {
        if (mail != null) mail.close();
        if (server != null) server.close();
    }

    /**
     * Alice (Sales), Bob (Sales North, under Sales) and Carol (Engineering) come from the seed; Erin is a
     * Hybridbox mailbox. Support is a public mailbox Carol belongs to.
     */
    private static void provision() {
        HybridboxHttp hybridbox = new HybridboxHttp(server.port());
        FeishuHttp.Response erin = hybridbox.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"),
                "{\"domain\":\"acme.test\",\"items\":[{\"first_name\":\"Erin\",\"last_name\":\"Ek\",\"local_part\":\"erin\"}]}");
        assertThat(erin.json().get("created").size()).as(erin.text()).isEqualTo(1);

        ok("POST", "/user_mailboxes/alice@acme.test/aliases", "{\"email_alias\":\"a.liu@acme.test\"}");
        ok("POST", "/public_mailboxes", "{\"email\":\"support@acme.test\",\"name\":\"Support\"}");
        ok("POST", "/public_mailboxes/support@acme.test/members/batch_create?user_id_type=user_id",
                "{\"items\":[{\"type\":\"USER\",\"user_id\":\"u300\"}]}");

        group("inner@acme.test", "ANYONE", "{\"type\":\"USER\",\"user_id\":\"u100\"}", "{\"type\":\"PUBLIC_MAILBOX\",\"email\":\"support@acme.test\"}");
        group("all-hands@acme.test", "ANYONE", "{\"type\":\"USER\",\"user_id\":\"u300\"}",
                "{\"type\":\"DEPARTMENT\",\"department_id\":\"D100\"}", "{\"type\":\"MAIL_GROUP\",\"email\":\"inner@acme.test\"}",
                "{\"type\":\"OTHER_MEMBER\",\"email\":\"erin@acme.test\"}");
        group("staff@acme.test", "ALL_INTERNAL_USERS", "{\"type\":\"USER\",\"user_id\":\"u100\"}");
        group("board@acme.test", "ALL_GROUP_MEMBERS", "{\"type\":\"USER\",\"user_id\":\"u100\"}");
        group("vip@acme.test", "CUSTOM_MEMBERS", "{\"type\":\"USER\",\"user_id\":\"u300\"}");
        ok("POST", "/mailgroups/vip@acme.test/permission_members/batch_create?user_id_type=user_id&department_id_type=department_id",
                "{\"items\":[{\"type\":\"DEPARTMENT\",\"department_id\":\"D100\"},{\"type\":\"PUBLIC_MAILBOX\",\"email\":\"support@acme.test\"}]}");
    }

    private static void group(String address, String whoCanSend, String... members) {
        ok("POST", "/mailgroups", "{\"email\":\"" + address + "\",\"name\":\"" + address + "\",\"who_can_send_mail\":\"" + whoCanSend + "\"}");
        ok("POST", "/mailgroups/" + address + "/members/batch_create?user_id_type=user_id&department_id_type=department_id",
                "{\"items\":[" + String.join(",", members) + "]}");
    }

    private static JsonNode ok(String method, String pathAndQuery, String body) {
        FeishuHttp.Response r = feishu.call(APP, method, MAIL + pathAndQuery, body);
        assertThat(r.json().get("code").asInt()).as(method + " " + pathAndQuery + ": " + r.text()).isZero();
        return r.json();
    }

    /** One conversation: optional login, MAIL, one RCPT each, DATA when any RCPT was accepted; all replies in order. */
    private static List<Reply> send(String login, String from, String subject, String... recipients) {
        List<Reply> replies = new ArrayList<>();
        try (SmtpClient smtp = mail.connect()) {
            if (login != null) {
                Reply auth = smtp.auth(login, LOGINS.get(login));
                assertThat(auth.code()).as("AUTH " + login + ": " + auth).isEqualTo(235);
            }
            Reply mailFrom = smtp.mail(from);
            assertThat(mailFrom.code()).as("MAIL FROM " + from + ": " + mailFrom).isEqualTo(250);
            boolean anyAccepted = false;
            for (String to : recipients) {
                Reply rcpt = smtp.rcpt(to);
                replies.add(rcpt);
                anyAccepted |= rcpt.code() == 250;
            }
            if (anyAccepted) {
                replies.add(smtp.data("From: <" + from + ">\nSubject: " + subject + "\n\nend to end"));
            }
        }
        return replies;
    }

    private static void assertDeliveredOnceTo(String subject, String... addresses) {
        mail.awaitQueueSettled(SETTLE);
        for (String a : addresses) {
            assertThat(mail.delivered(a, "Subject: " + subject)).as(a + " got \"" + subject + "\"\n" + mail.maillog()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownRecipientIsRefusedAtRcptWith550() {
        List<Reply> r = send(null, "partner@example.org", "e2e-unknown", "nobody@acme.test");
        assertThat(r).hasSize(1);
        assertThat(r.get(0).code()).isEqualTo(550);
        assertThat(r.get(0).text()).startsWith("5.1.1 <nobody@acme.test>: Recipient address rejected");
    }

    @Test
    void aGroupIsDeliveredExactlyOnceToEveryMemberNestedGroupAndDepartmentIncluded() {
        List<Reply> r = send(null, "partner@example.org", "e2e-all-hands", "all-hands@acme.test");
        assertThat(r).extracting(Reply::code).containsExactly(250, 250);
        // carol (USER), alice and bob (DEPARTMENT Sales with Sales North), alice again and support (MAIL_GROUP inner), erin (OTHER_MEMBER)
        assertDeliveredOnceTo("e2e-all-hands", "carol@acme.test", "alice@acme.test", "bob@acme.test", "support@acme.test", "erin@acme.test");
        assertThat(mail.deferred()).isZero();
    }

    @Test
    void anAliasIsDeliveredToItsMailbox() {
        List<Reply> r = send(null, "partner@example.org", "e2e-alias", "a.liu@acme.test");
        assertThat(r).extracting(Reply::code).containsExactly(250, 250);
        assertDeliveredOnceTo("e2e-alias", "alice@acme.test");
        assertThat(mail.mailboxesDeliveredTo()).doesNotContain("a.liu@acme.test");
    }

    @Test
    void anExternalSenderIsRefusedForAnAllInternalUsersGroupAndAnInternalOneAccepted() {
        List<Reply> external = send(null, "partner@example.org", "e2e-staff-external", "staff@acme.test");
        assertThat(external).hasSize(1);
        assertThat(external.get(0).code()).isEqualTo(550);
        assertThat(external.get(0).text()).isEqualTo(
                "5.7.1 <staff@acme.test>: Recipient address rejected: staff@acme.test: you may not send to this mail group");

        List<Reply> internal = send("carol@acme.test", "carol@acme.test", "e2e-staff-internal", "staff@acme.test");
        assertThat(internal).extracting(Reply::code).containsExactly(250, 250);
        assertDeliveredOnceTo("e2e-staff-internal", "alice@acme.test");
        assertThat(mail.delivered("alice@acme.test", "e2e-staff-external")).isZero();
    }

    @Test
    void aLoggedInMemberMaySendToAnAllGroupMembersGroupAndANonMemberIsRefusedWith550() {
        List<Reply> member = send("alice@acme.test", "alice@acme.test", "e2e-board-member", "board@acme.test");
        assertThat(member).extracting(Reply::code).containsExactly(250, 250);

        List<Reply> outsider = send("bob@acme.test", "bob@acme.test", "e2e-board-outsider", "board@acme.test");
        assertThat(outsider).hasSize(1);
        assertThat(outsider.get(0).code()).isEqualTo(550);
        assertThat(outsider.get(0).text()).isEqualTo(
                "5.7.1 <board@acme.test>: Recipient address rejected: board@acme.test: you may not send to this mail group");
        assertDeliveredOnceTo("e2e-board-member", "alice@acme.test");
        assertThat(mail.delivered("alice@acme.test", "e2e-board-outsider")).isZero();
    }

    @Test
    void customMembersHonourADepartmentWithItsSubDepartmentsAndAPublicMailboxPermission() {
        // Bob is in Sales North, under the permitted Sales department.
        assertThat(send("bob@acme.test", "bob@acme.test", "e2e-vip-bob", "vip@acme.test")).extracting(Reply::code).containsExactly(250, 250);
        // Carol is a member of the group but not a permission member: refused as herself...
        List<Reply> carol = send("carol@acme.test", "carol@acme.test", "e2e-vip-carol", "vip@acme.test");
        assertThat(carol).extracting(Reply::code).containsExactly(550);
        assertThat(carol.get(0).text()).isEqualTo(
                "5.7.1 <vip@acme.test>: Recipient address rejected: vip@acme.test: you may not send to this mail group");
        // ...but accepted sending as the permitted public mailbox she belongs to.
        assertThat(send("carol@acme.test", "support@acme.test", "e2e-vip-support", "vip@acme.test"))
                .extracting(Reply::code).containsExactly(250, 250);
        assertDeliveredOnceTo("e2e-vip-bob", "carol@acme.test");
        assertDeliveredOnceTo("e2e-vip-support", "carol@acme.test");
        assertThat(mail.delivered("carol@acme.test", "e2e-vip-carol")).isZero();
    }

    @Test
    void aLoggedInUserSendingAsSomeoneElsesAddressIsRefused() {
        List<Reply> r = send("alice@acme.test", "bob@acme.test", "e2e-spoof", "carol@acme.test");
        assertThat(r).hasSize(1);
        assertThat(r.get(0).code()).isEqualTo(553);
        assertThat(r.get(0).text()).isEqualTo("5.7.1 <bob@acme.test>: Sender address rejected: not owned by user alice@acme.test");
    }

    @Test
    void aChangeMadeThroughTheFeishuApiIsVisibleToTheVeryNextMessage() {
        assertThat(send(null, "partner@example.org", "e2e-late-before", "late@acme.test")).extracting(Reply::code).containsExactly(550);
        group("late@acme.test", "ANYONE", "{\"type\":\"USER\",\"user_id\":\"u200\"}");
        assertThat(send(null, "partner@example.org", "e2e-late-after", "late@acme.test")).extracting(Reply::code).containsExactly(250, 250);
        assertDeliveredOnceTo("e2e-late-after", "bob@acme.test");

        ok("DELETE", "/mailgroups/late@acme.test", null);
        assertThat(send(null, "partner@example.org", "e2e-late-deleted", "late@acme.test")).extracting(Reply::code).containsExactly(550);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void withMailroomStoppedTheMessageIsDeferredWith4xxNotBounced() {
        server.close();
        server = null;
        List<Reply> r = send(null, "partner@example.org", "e2e-down", "alice@acme.test");
        assertThat(r).hasSize(1);
        assertThat(r.get(0).code()).isEqualTo(451);
        // The first question at RCPT is the sender's login map; unanswered, Postfix defers rather than bounce.
        assertThat(r.get(0).text()).isEqualTo("4.3.0 <partner@example.org>: Temporary lookup failure");
        mail.awaitQueueSettled(SETTLE);
        assertThat(mail.delivered("alice@acme.test", "e2e-down")).isZero();
        assertThat(mail.deferred()).isZero();
    }
}
