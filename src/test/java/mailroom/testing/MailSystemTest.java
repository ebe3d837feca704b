package mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness itself on static Postfix tables, independent of Mailroom: it starts and stops,
 * Dovecot checks SASL logins for Postfix, and LMTP delivers into per-address Maildirs.
 */
class MailSystemTest {
    private static Path tables;
    private static MailSystem mail;

    @BeforeAll
    static void start() throws IOException {
        MailSystem.assumeAvailable();
        tables = Files.createTempDirectory("mailsystem-tables");
        Files.writeString(tables.resolve("mailboxes"), "alice@acme.test OK\nbob@acme.test OK\n");
        Files.writeString(tables.resolve("aliases"), "team@acme.test alice@acme.test,bob@acme.test\n");
        Files.writeString(tables.resolve("senders"), "alice@acme.test alice@acme.test\nbob@acme.test bob@acme.test\n");
        mail = MailSystem.start("virtual_mailbox_domains = acme.test\n"
                + "virtual_mailbox_maps = texthash:" + tables.resolve("mailboxes") + "\n"
                + "virtual_alias_maps = texthash:" + tables.resolve("aliases") + "\n"
                + "smtpd_sender_login_maps = texthash:" + tables.resolve("senders") + "\n"
                + "virtual_alias_domains =\n"
                + "virtual_transport = lmtp:unix:private/dovecot-lmtp\n"
                + "smtpd_sasl_auth_enable = yes\n"
                + "smtpd_sasl_type = dovecot\n"
                + "smtpd_sasl_path = private/auth\n"
                + "smtpd_relay_restrictions = permit_sasl_authenticated reject_unauth_destination\n"
                + "smtpd_sender_restrictions = reject_sender_login_mismatch\n"
                + "smtpd_recipient_restrictions = reject_unlisted_recipient\n",
                Map.of("alice@acme.test", "alice-pw", "bob@acme.test", "bob-pw"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (mail != null) mail.close();
        if (tables != null) {
            try (var files = Files.list(tables)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(tables);
        }
    }

    @Test
    void anAliasOfTwoMailboxesIsDeliveredOnceIntoEachMaildir() {
        try (SmtpClient smtp = mail.connect()) {
            assertThat(smtp.mail("partner@example.org").code()).isEqualTo(250);
            assertThat(smtp.rcpt("team@acme.test").code()).isEqualTo(250);
            assertThat(smtp.data("Subject: harness-alias\n\nhello team").code()).isEqualTo(250);
        }
        mail.awaitQueueSettled(Duration.ofSeconds(20));
        assertThat(mail.delivered("alice@acme.test", "Subject: harness-alias")).isEqualTo(1);
        assertThat(mail.delivered("bob@acme.test", "Subject: harness-alias")).isEqualTo(1);
        assertThat(mail.deferred()).isZero();
    }

    @Test
    void anUnknownRecipientIsRefusedAtRcptWith550() {
        try (SmtpClient smtp = mail.connect()) {
            assertThat(smtp.mail("partner@example.org").code()).isEqualTo(250);
            SmtpClient.Reply rcpt = smtp.rcpt("nobody@acme.test");
            assertThat(rcpt.code()).isEqualTo(550);
            assertThat(rcpt.text()).startsWith("5.1.1 <nobody@acme.test>: Recipient address rejected");
        }
    }

    @Test
    void dovecotChecksTheSaslPasswordForPostfix() {
        try (SmtpClient smtp = mail.connect()) {
            assertThat(smtp.auth("alice@acme.test", "wrong").code()).isEqualTo(535);
        }
        try (SmtpClient smtp = mail.connect()) {
            assertThat(smtp.auth("alice@acme.test", "alice-pw").code()).isEqualTo(235);
            assertThat(smtp.mail("alice@acme.test").code()).isEqualTo(250);
            assertThat(smtp.rcpt("bob@acme.test").code()).isEqualTo(250);
            assertThat(smtp.data("Subject: harness-login\n\nfrom alice").code()).isEqualTo(250);
        }
        mail.awaitQueueSettled(Duration.ofSeconds(20));
        assertThat(mail.delivered("bob@acme.test", "Subject: harness-login")).isEqualTo(1);
    }

    @Test
    void aLoginSendingAsAnotherUsersAddressIsRefusedWith553() {
        try (SmtpClient smtp = mail.connect()) {
            assertThat(smtp.auth("alice@acme.test", "alice-pw").code()).isEqualTo(235);
            assertThat(smtp.mail("bob@acme.test").code()).isEqualTo(250);
            SmtpClient.Reply rcpt = smtp.rcpt("alice@acme.test");
            assertThat(rcpt.code()).isEqualTo(553);
            assertThat(rcpt.text()).isEqualTo("5.7.1 <bob@acme.test>: Sender address rejected: not owned by user alice@acme.test");
        }
    }

    @Test
    void aLoginAddedWhileRunningCanAuthenticate() {
        mail.addLogin("carol@acme.test", "carol-pw");
        try (SmtpClient smtp = mail.connect()) {
            assertThat(smtp.auth("carol@acme.test", "carol-pw").code()).as(mail.logs()).isEqualTo(235);
        }
    }
}
