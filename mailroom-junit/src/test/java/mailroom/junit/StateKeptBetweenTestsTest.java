package mailroom.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code resetBetweenTests(false)} a test sees what the tests before it left: data, journal, faults and clock. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StateKeptBetweenTestsTest {
    @RegisterExtension
    static final MailroomSandbox mailroom = MailroomSandbox.withSeed("world.yaml").resetBetweenTests(false);

    static final String GROUPS = "/open-apis/mail/v1/mailgroups";

    @Test
    @Order(1)
    void theFirstTestLeavesAGroupAFaultAndAMovedClock() throws Exception {
        String token = RawHttp.tenantToken(mailroom, "cli_example");
        assertThat(RawHttp.send(mailroom.baseUrl(), "POST", GROUPS, token, "{\"email\":\"left@example.test\"}").status()).isEqualTo(200);
        mailroom.inject(Fault.feishu("DELETE " + GROUPS + "/:mailgroup_id").answer(Fault.http(429)));
        mailroom.advanceClock(Duration.ofDays(3));
    }

    @Test
    @Order(2)
    void theSecondTestFindsThemAll() throws Exception {
        String token = RawHttp.tenantToken(mailroom, "cli_example");
        RawHttp.Answer left = RawHttp.send(mailroom.baseUrl(), "GET", GROUPS + "/left@example.test", token, null);
        assertThat(left.json().path("data").path("email").asText()).isEqualTo("left@example.test");
        assertThat(mailroom.faults()).extracting(InjectedFault::route).containsExactly("DELETE " + GROUPS + "/:mailgroup_id");
        assertThat(mailroom.requests().method("POST").path(GROUPS).list()).hasSize(1);
        assertThat(mailroom.advanceClock(Duration.ZERO)).isAfter(Instant.now().plus(Duration.ofDays(3)).minusSeconds(60));
    }
}
