package mailroom.api.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import mailroom.testing.TestClock;
import org.junit.jupiter.api.Test;

/** Signed tokens: what a token says, that a remembered token still expires, and that a forged one is refused. */
class FeishuTokensTest {
    private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void aVerifiedTokenIsRememberedButStillExpiresAtItsTime() {
        TestClock clock = TestClock.movable(START);
        FeishuTokens tokens = new FeishuTokens("k".repeat(32).getBytes(StandardCharsets.UTF_8), clock);
        FeishuTokens.Issued issued = tokens.issue("t", "cli_a", "acme");

        assertThat(tokens.verify(issued.token())).contains(
                new FeishuTokens.Claims("t", "cli_a", "acme", START.getEpochSecond() - START.getEpochSecond() % 5400 + 7200));
        assertThat(tokens.verify(issued.token())).isPresent();
        clock.advance(Duration.ofSeconds(issued.expireSeconds() - 1));
        assertThat(tokens.verify(issued.token())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(issued.token())).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyOrAlteredIsRefused() {
        TestClock clock = TestClock.movable(START);
        FeishuTokens ours = new FeishuTokens("k".repeat(32).getBytes(StandardCharsets.UTF_8), clock);
        FeishuTokens theirs = new FeishuTokens("x".repeat(32).getBytes(StandardCharsets.UTF_8), clock);
        String token = ours.issue("t", "cli_a", "acme").token();
        assertThat(ours.verify(token)).isPresent();

        assertThat(ours.verify(theirs.issue("t", "cli_a", "acme").token())).isEmpty();
        assertThat(ours.verify(token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A"))).isEmpty();
        assertThat(ours.verify("a" + token.substring(1))).isEmpty();
    }
}
