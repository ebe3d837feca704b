package mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import mailroom.testing.TestClock;
import org.junit.jupiter.api.Test;

/** The failed-credential throttle on a clock the test moves: burst, refill, debt, its cap, proofs and its bound. */
class CredentialThrottleTest {
    private static final CredentialThrottle.Policy POLICY = new CredentialThrottle.Policy(3, Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofHours(1), 100);

    private final TestClock clock = TestClock.movable(Instant.parse("2026-01-01T00:00:00Z"));
    private final CredentialThrottle throttle = new CredentialThrottle(POLICY, clock);

    @Test
    void aKeyMayFailItsBurstThenIsRefusedUntilOneFailureIsRefilled() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.check("app a")).as("attempt %d", i + 1).isEmpty();
            throttle.failed("app a");
        }
        assertThat(throttle.check("app a")).contains(5L);
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.check("app a")).contains(3L);
        clock.advance(Duration.ofMillis(2_999));
        assertThat(throttle.check("app a")).as("1 ms short of the refill, rounded up").contains(1L);
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.check("app a")).isEmpty();
        throttle.failed("app a");
        assertThat(throttle.check("app a")).as("one attempt per interval once the burst is spent").contains(5L);
    }

    @Test
    void checkingAndSucceedingTakeNothing() {
        for (int i = 0; i < 50; i++) assertThat(throttle.check("app a", "address 10.0.0.1")).isEmpty();
        assertThat(throttle.size()).isZero();
    }

    @Test
    void anyRefusedKeyRefusesTheAttemptAndTheLongestWaitIsAnswered() {
        for (int i = 0; i < 3; i++) throttle.failed("address 10.0.0.1");
        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) throttle.failed("app a");
        assertThat(throttle.check("app b", "address 10.0.0.1")).contains(3L);
        assertThat(throttle.check("app a", "address 10.0.0.1")).contains(5L);
        assertThat(throttle.check("app a", "address 10.0.0.2")).contains(5L);
        assertThat(throttle.check("app b", "address 10.0.0.2")).isEmpty();
        assertThat(throttle.check(null, "address 10.0.0.2")).as("a null key is skipped").isEmpty();
    }

    @Test
    void failuresThatPassedTheCheckTogetherAreEachPaidForUpToTheLongestLockout() {
        // Five guesses in parallel all passed check(): the key owes two more than its burst, and waits for three.
        for (int i = 0; i < 5; i++) throttle.failed("app a");
        assertThat(throttle.check("app a")).contains(15L);
        // The debt is capped: however many more fail, the key is refused at most maxLockout.
        for (int i = 0; i < 100; i++) throttle.failed("app a");
        assertThat(throttle.check("app a")).contains(30L);
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.check("app a")).isEmpty();
    }

    @Test
    void aProofIsTrustedForItsTimeOnly() {
        assertThat(throttle.isProven("a\n10.0.0.1")).isFalse();
        throttle.proven("a\n10.0.0.1");
        clock.advance(Duration.ofMinutes(59));
        assertThat(throttle.isProven("a\n10.0.0.1")).isTrue();
        assertThat(throttle.isProven("a\n10.0.0.2")).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.isProven("a\n10.0.0.1")).isFalse();
    }

    @Test
    void memoryIsBoundedByMaxKeysAndRefilledKeysAreForgotten() {
        for (int i = 0; i < 1000; i++) throttle.failed("app " + i);
        assertThat(throttle.size()).isEqualTo(100);
        // The most recent failures are the ones kept.
        for (int i = 0; i < 3; i++) throttle.failed("app 999");
        assertThat(throttle.check("app 999")).isPresent();
        assertThat(throttle.check("app 0")).as("forgotten: the least recently failed key went first").isEmpty();
        // Once their buckets are full again, keys go as they are passed over.
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 60; i++) throttle.check("app x");
        assertThat(throttle.size()).isZero();
    }

    @Test
    void aPolicyThatCannotWorkIsRefused() {
        assertThatThrownBy(() -> new CredentialThrottle.Policy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CredentialThrottle.Policy(1, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Optional.of(CredentialThrottle.Policy.TOKEN_ENDPOINTS.burst())).contains(10);
    }
}
