package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import mailroom.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code mailroom postfix-config} prints exactly the main.cf lines of the set-up the MTA door is tested for. */
class PostfixConfigCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theMainCfLinesNameTheGivenSocketmapAndPolicyAddresses() {
        Run run = run("postfix-config", "--socketmap", "127.0.0.1:10071", "--policy", "127.0.0.1:10072");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                virtual_mailbox_domains = socketmap:inet:127.0.0.1:10071:domain
                virtual_mailbox_maps    = socketmap:inet:127.0.0.1:10071:mailbox
                virtual_alias_maps      = socketmap:inet:127.0.0.1:10071:alias
                smtpd_sender_login_maps = socketmap:inet:127.0.0.1:10071:senders
                virtual_alias_domains   =
                virtual_transport       = lmtp:unix:private/dovecot-lmtp
                smtpd_sasl_auth_enable  = yes
                smtpd_sasl_type         = dovecot
                smtpd_sasl_path         = private/auth
                smtpd_relay_restrictions = permit_sasl_authenticated reject_unauth_destination
                smtpd_sender_restrictions = reject_sender_login_mismatch
                smtpd_recipient_restrictions =
                    check_policy_service { inet:127.0.0.1:10072, timeout=10s, { default_action = 451 4.3.5 directory policy unavailable } }
                    reject_unlisted_recipient
                # virtual(8) refuses socketmap for virtual_mailbox_maps: delivery goes to an LMTP server (Dovecot here).
                # An empty virtual_alias_domains stops extra "alias <domain>" look-ups.
                # In a sandbox without DNS or syslog, also set:
                # smtpd_peername_lookup = no
                # disable_dns_lookups = yes
                # smtp_dns_support_level = disabled
                # inet_interfaces = loopback-only
                # maillog_file = /var/log/postfix.log
                """);
    }

    @Test
    void anIpv6AddressIsWrittenInBracketsAsPostfixReadsIt() {
        Run run = run("postfix-config", "--socketmap", "[::1]:10071", "--policy", "[::1]:10072");
        assertThat(run.exit()).isZero();
        assertThat(run.out().lines().toList()).contains("virtual_alias_maps      = socketmap:inet:[::1]:10071:alias",
                "    check_policy_service { inet:[::1]:10072, timeout=10s, { default_action = 451 4.3.5 directory policy unavailable } }");
    }

    @Test
    void anAddressWithoutAPortIsRefusedWithExitCode2() {
        Run run = run("postfix-config", "--socketmap", "127.0.0.1", "--policy", "127.0.0.1:10072");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("expected HOST:PORT, got '127.0.0.1'\n");
    }
}
