package mailroom.mta;

import static org.assertj.core.api.Assertions.assertThat;

import mailroom.directory.delivery.DeliveryRules;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.MtaWire;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database: what the Feishu or Hybridbox door acknowledges on node 1 is what
 * the very next socketmap look-up and policy decision on node 2 answers, although node 2 keeps its answers
 * (each question is asked twice before a change, so the second answer is a kept one).
 */
class MtaTwoNodesTest {
    @Test
    void aChangeAcknowledgedOnOneNodeIsSeenByTheNextLookupOnTheOther() {
        MailroomServer.Options options = TestServers.options(Backend.POSTGRESQL, null);
        try (MailroomServer node1 = MailroomServer.start(options);
             MailroomServer node2 = MailroomServer.start(options.withMta(TestServers.mta(DeliveryRules.DEFAULTS, "127.0.0.0/8")));
             MtaWire socketmap = MtaWire.connect(node2.socketmapPort());
             MtaWire policy = MtaWire.connect(node2.policyPort())) {
            FeishuHttp feishu = new FeishuHttp(node1.port());
            for (int i = 0; i < 2; i++) {
                assertThat(socketmap.lookup("alias", "sales@acme.test")).isEqualTo("9:NOTFOUND ,");
                assertThat(socketmap.lookup("mailbox", "erin@acme.test")).isEqualTo("9:NOTFOUND ,");
                assertThat(policy.policy("request=smtpd_access_policy", "protocol_state=RCPT", "recipient=sales@acme.test",
                        "sender=x@example.org")).isEqualTo("action=DUNNO\n\n");
            }

            assertThat(feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups",
                    "{\"email\":\"sales@acme.test\",\"who_can_send_mail\":\"ALL_INTERNAL_USERS\"}").json().path("code").asInt()).isZero();
            assertThat(feishu.call("cli_full", "POST", "/open-apis/mail/v1/mailgroups/sales@acme.test/members?user_id_type=user_id",
                    "{\"type\":\"USER\",\"user_id\":\"u200\"}").json().path("code").asInt()).isZero();
            assertThat(socketmap.lookup("alias", "sales@acme.test")).isEqualTo("16:OK bob@acme.test,");
            assertThat(socketmap.lookup("alias", "sales@acme.test")).isEqualTo("16:OK bob@acme.test,");
            assertThat(policy.policy("request=smtpd_access_policy", "protocol_state=RCPT", "recipient=sales@acme.test",
                    "sender=x@example.org")).isEqualTo("action=550 5.7.1 sales@acme.test: you may not send to this mail group\n\n");

            HybridboxHttp hybridbox = new HybridboxHttp(node1.port());
            assertThat(hybridbox.call(HybridboxHttp.PROVISIONING, "POST", HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"),
                    "{\"domain\":\"acme.test\",\"local_part\":\"erin\",\"first_name\":\"Erin\",\"last_name\":\"Ng\"}").status())
                    .isEqualTo(201);
            assertThat(socketmap.lookup("mailbox", "erin@acme.test")).isEqualTo("17:OK erin@acme.test,");

            assertThat(feishu.call("cli_full", "DELETE", "/open-apis/mail/v1/mailgroups/sales@acme.test", null)
                    .json().path("code").asInt()).isZero();
            assertThat(socketmap.lookup("alias", "sales@acme.test")).isEqualTo("9:NOTFOUND ,");
        }
    }
}
