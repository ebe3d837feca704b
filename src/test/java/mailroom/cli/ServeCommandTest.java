package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The timeout and retention options read the durations the README shows, and refuse what is not a positive one. */
class ServeCommandTest {
    @Test
    void sandboxModeIsOffUnlessAskedFor() {
        ServeCommand plain = new ServeCommand();
        new picocli.CommandLine(plain).parseArgs();
        assertThat(plain.sandbox).isFalse();
        ServeCommand sandbox = new ServeCommand();
        new picocli.CommandLine(sandbox).parseArgs("--sandbox");
        assertThat(sandbox.sandbox).isTrue();
    }

    @Test
    void timeoutsAreReadInMillisecondsSecondsMinutesOrIso8601() {
        assertThat(ServeCommand.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ServeCommand.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(ServeCommand.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ServeCommand.duration("PT10S")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aTimeoutThatIsNotAPositiveDurationIsRefused() {
        for (String bad : new String[]{"0s", "-1s", "10", "ten seconds", "", "PT0S", "1h"}) {
            assertThat(ServeCommand.duration(bad)).as(bad).isNull();
        }
    }

    @Test
    void aJournalRetentionIsReadInDaysHoursOrAsATimeout() {
        assertThat(ServeCommand.retention("400d")).isEqualTo(Duration.ofDays(400));
        assertThat(ServeCommand.retention("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ServeCommand.retention("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(ServeCommand.retention("P90D")).isEqualTo(Duration.ofDays(90));
        for (String bad : new String[]{"0d", "-1d", "400", "d", "h", "forever", "", "1.5d"}) {
            assertThat(ServeCommand.retention(bad)).as(bad).isNull();
        }
    }

    @Test
    void theMtaOptionsDefaultToLoopbackClientsThePlusDelimiterAndAThousandAddresses() {
        mailroom.mta.MtaOptions mta = ServeCommand.mtaOptions("127.0.0.1:10071", "[::1]:10072", "127.0.0.0/8,::1/128", "+", 1000);
        assertThat(mta.socketmap()).isEqualTo(new mailroom.mta.HostPort("127.0.0.1", 10071));
        assertThat(mta.policy()).isEqualTo(new mailroom.mta.HostPort("::1", 10072));
        assertThat(mta.rules()).isEqualTo(mailroom.directory.delivery.DeliveryRules.DEFAULTS);
        assertThat(mta.clients().allows(java.net.InetAddress.getLoopbackAddress())).isTrue();
        assertThat(ServeCommand.mtaOptions(null, null, "10.0.0.0/8", "", 5).rules())
                .isEqualTo(new mailroom.directory.delivery.DeliveryRules(null, 5));
        assertThat(ServeCommand.mtaOptions(null, null, "10.0.0.0/8", "", 5).socketmap()).as("off unless given").isNull();
    }

    @Test
    void badMtaOptionsAreRefusedWithAMessage() {
        assertThatThrownBy(() -> ServeCommand.mtaOptions("localhost", null, "127.0.0.0/8", "+", 1000))
                .hasMessage("expected HOST:PORT, got 'localhost'");
        assertThatThrownBy(() -> ServeCommand.mtaOptions(null, null, "127.0.0.0/33", "+", 1000))
                .hasMessage("prefix length out of range in '127.0.0.0/33'");
        assertThatThrownBy(() -> ServeCommand.mtaOptions(null, null, "mail.example", "+", 1000))
                .hasMessage("not a numeric CIDR: 'mail.example'");
        assertThatThrownBy(() -> ServeCommand.mtaOptions(null, null, "127.0.0.0/8", "+", 0))
                .hasMessage("--mta-expansion-limit must be at least 1");
    }
}
