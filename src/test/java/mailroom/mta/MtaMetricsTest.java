package mailroom.mta;

import static mailroom.mta.MtaWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.MtaWire;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/**
 * The MTA door's series in {@code GET /metrics}, exact sample lines: look-ups by map and result with a
 * latency timer per map, policy decisions by verdict and reason, refused clients, open connections.
 * No address ever becomes a label.
 */
class MtaMetricsTest {
    private static List<String> samples(MailroomServer server, String metric) {
        FeishuHttp.Response r = new FeishuHttp(server.port()).send("GET", "/metrics", null, null);
        assertThat(r.status()).isEqualTo(200);
        return r.text().lines().filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " ")).toList();
    }

    @Test
    void socketmapLookupsAreCountedByMapAndResultAndTimedByMap() {
        try (MailroomServer server = TestServers.startWithMta(Backend.SQLITE, DeliveryRules.DEFAULTS, ClientNetworks.DEFAULT);
             MtaWire wire = MtaWire.connect(server.socketmapPort())) {
            wire.lookup("mailbox", "alice@acme.test");
            wire.lookup("mailbox", "bob@acme.test");
            wire.lookup("mailbox", "nobody@acme.test");
            wire.lookup("domain", "acme.test");
            wire.lookup("passwd", "root");
            assertThat(samples(server, "mailroom_mta_lookups_total")).containsExactlyInAnyOrder(
                    "mailroom_mta_lookups_total{map=\"domain\",result=\"ok\"} 1.0",
                    "mailroom_mta_lookups_total{map=\"invalid\",result=\"perm\"} 1.0",
                    "mailroom_mta_lookups_total{map=\"mailbox\",result=\"notfound\"} 1.0",
                    "mailroom_mta_lookups_total{map=\"mailbox\",result=\"ok\"} 2.0");
            assertThat(samples(server, "mailroom_mta_lookup_duration_seconds_count")).containsExactlyInAnyOrder(
                    "mailroom_mta_lookup_duration_seconds_count{map=\"domain\"} 1",
                    "mailroom_mta_lookup_duration_seconds_count{map=\"mailbox\"} 3");
            assertThat(samples(server, "mailroom_mta_lookup_duration_seconds_bucket"))
                    .contains("mailroom_mta_lookup_duration_seconds_bucket{map=\"mailbox\",le=\"+Inf\"} 3");
            wire.send("x:").readNetstring();
            assertThat(samples(server, "mailroom_mta_lookups_total"))
                    .contains("mailroom_mta_lookups_total{map=\"invalid\",result=\"perm\"} 2.0");
        }
    }

    @Test
    void policyDecisionsAreCountedByVerdictAndReason() {
        try (MailroomServer server = TestServers.startWithMta(Backend.SQLITE, DeliveryRules.DEFAULTS, ClientNetworks.DEFAULT);
             MtaWire wire = MtaWire.connect(server.policyPort())) {
            MtaWorld world = new MtaWorld(server.directory());
            world.group("team@acme.test", WhoCanSend.ALL_INTERNAL_USERS, user("u100"));
            world.group("empty@acme.test", WhoCanSend.ANYONE);
            String rcpt = "request=smtpd_access_policy\nprotocol_state=RCPT\n";
            wire.send(rcpt + "recipient=team@acme.test\nsender=\n\n").readPolicyAnswer();
            wire.send(rcpt + "recipient=team@acme.test\nsender=bob@acme.test\nsasl_username=bob@acme.test\n\n").readPolicyAnswer();
            wire.send(rcpt + "recipient=empty@acme.test\n\n").readPolicyAnswer();
            wire.send(rcpt + "recipient=alice@acme.test\n\n").readPolicyAnswer();
            wire.send("request=smtpd_access_policy\nprotocol_state=DATA\n\n").readPolicyAnswer();
            wire.send("garbage\n\n").readPolicyAnswer();
            assertThat(samples(server, "mailroom_mta_policy_decisions_total")).containsExactlyInAnyOrder(
                    "mailroom_mta_policy_decisions_total{reason=\"all_internal_users\",verdict=\"allowed\"} 1.0",
                    "mailroom_mta_policy_decisions_total{reason=\"empty\",verdict=\"refused\"} 1.0",
                    "mailroom_mta_policy_decisions_total{reason=\"malformed\",verdict=\"tempfail\"} 1.0",
                    "mailroom_mta_policy_decisions_total{reason=\"not_a_group\",verdict=\"dunno\"} 1.0",
                    "mailroom_mta_policy_decisions_total{reason=\"not_allowed\",verdict=\"refused\"} 1.0",
                    "mailroom_mta_policy_decisions_total{reason=\"not_rcpt\",verdict=\"dunno\"} 1.0");
            String text = String.join("\n", samples(server, "mailroom_mta_policy_decisions_total"));
            assertThat(text).doesNotContain("acme.test");
        }
    }

    @Test
    void openConnectionsAreAGaugePerListenerAndRefusedClientsACounter() throws Exception {
        try (MailroomServer server = TestServers.startWithMta(Backend.SQLITE, DeliveryRules.DEFAULTS, ClientNetworks.DEFAULT)) {
            MtaWire a = MtaWire.connect(server.socketmapPort());
            MtaWire b = MtaWire.connect(server.socketmapPort());
            MtaWire c = MtaWire.connect(server.policyPort());
            // An answer proves each connection was accepted and counted.
            a.lookup("domain", "acme.test");
            b.lookup("domain", "acme.test");
            c.send("request=x\n\n").readPolicyAnswer();
            assertThat(samples(server, "mailroom_mta_connections")).containsExactlyInAnyOrder(
                    "mailroom_mta_connections{listener=\"policy\"} 1.0",
                    "mailroom_mta_connections{listener=\"socketmap\"} 2.0");
            a.close();
            b.close();
            c.close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!samples(server, "mailroom_mta_connections").contains("mailroom_mta_connections{listener=\"socketmap\"} 0.0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(samples(server, "mailroom_mta_connections")).containsExactlyInAnyOrder(
                    "mailroom_mta_connections{listener=\"policy\"} 0.0",
                    "mailroom_mta_connections{listener=\"socketmap\"} 0.0");
        }
        try (MailroomServer server = TestServers.startWithMta(Backend.SQLITE, DeliveryRules.DEFAULTS, "10.0.0.0/8");
             MtaWire outsider = MtaWire.connect(server.socketmapPort())) {
            assertThat(outsider.closedByServer()).isTrue();
            assertThat(samples(server, "mailroom_mta_refused_clients_total"))
                    .containsExactly("mailroom_mta_refused_clients_total{listener=\"socketmap\"} 1.0");
        }
    }
}
