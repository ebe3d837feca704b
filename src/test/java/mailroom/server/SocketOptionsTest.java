package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's sockets send at once: with Nagle's algorithm on, the body of an answer written after its
 * headers waited for the client's delayed ACK (40 ms on Linux) — a page of a mailbox list took 42 ms instead of
 * half a millisecond (ADR 0035; docs/performance.md, "HTTP answers sent at once").
 */
class SocketOptionsTest {
    @Test
    void everyConnectionHasTcpNoDelayAndTheReadTimeoutBacksUpTheIdleTimeout() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            var options = server.webConfig().connectionOptions();
            assertThat(options.tcpNoDelay()).isTrue();
            assertThat(options.readTimeout()).isGreaterThan(server.webConfig().idleConnectionTimeout());
        }
    }
}
