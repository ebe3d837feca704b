package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed operator tokens are throttled per client address: after 10, that address gets 429 rate-limited (with
 * Retry-After) without its token being looked at, except for a token that worked from there before; the lock
 * lifts with time and never touches other addresses.
 */
class AdminThrottleTest {
    @TempDir
    Path dir;

    @Test
    void tenFailuresLockTheAddressButNotATokenThatWorkedFromItNorOtherAddresses() throws Exception {
        TestClock clock = TestClock.movable(Instant.parse("2026-12-01T00:00:00Z"));
        Path file = dir.resolve("admin-token");
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, dir).withAdminTokenFile(file), clock)) {
            String admin = "Bearer " + Files.readString(file).trim();
            FeishuHttp local = new FeishuHttp(server.port(), InetAddress.getByName("127.0.0.1"));
            FeishuHttp other = new FeishuHttp(server.port(), InetAddress.getByName("127.0.0.2"));
            assertThat(local.send("GET", "/admin/v1/tenants?limit=1", admin, null).status()).as("proven from 127.0.0.1").isEqualTo(200);
            String viewer = "Bearer " + local.send("POST", "/admin/v1/operator-tokens", admin, "{\"name\":\"v\",\"role\":\"viewer\"}")
                    .json().get("token").asText();

            for (int i = 0; i < 10; i++) {
                assertThat(local.send("GET", "/admin/v1/tenants", "Bearer mr_op_guess" + i, null).status()).as("guess %d", i).isEqualTo(401);
            }
            FeishuHttp.Response locked = local.send("GET", "/admin/v1/tenants", "Bearer mr_op_guess10", null);
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.header("content-type")).isEqualTo("application/problem+json");
            assertThat(locked.header("retry-after")).isEqualTo("6");
            assertThat(locked.text()).isEqualTo("{\"type\":\"urn:mailroom:problem:rate-limited\",\"title\":\"Too many failed attempts\","
                    + "\"status\":429,\"detail\":\"too many failed operator tokens from 127.0.0.1; try again in 6 s\"}");
            assertThat(local.send("GET", "/admin/v1/tenants", viewer, null).status())
                    .as("a valid token never used from here waits like a guess").isEqualTo(429);
            assertThat(local.send("GET", "/admin/v1/tenants", admin, null).status())
                    .as("the token that worked from here still works").isEqualTo(200);
            assertThat(other.send("GET", "/admin/v1/tenants", viewer, null).status()).as("another address").isEqualTo(200);

            clock.advance(Duration.ofSeconds(6));
            assertThat(local.send("GET", "/admin/v1/tenants", viewer, null).status()).as("one attempt per 6 s again").isEqualTo(200);
        }
    }
}
