package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The timeout options read the durations the README shows, and refuse what is not a positive one. */
class ServeCommandTest {
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
}
