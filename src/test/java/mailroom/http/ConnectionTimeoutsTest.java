package mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mailroom.server.MailroomServer;
import mailroom.testing.RawHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow request headers and idle keep-alive connections are closed after their (here: short) timeouts,
 * and thousands of open connections do not keep the server from answering anyone else.
 */
class ConnectionTimeoutsTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

    private static MailroomServer server;

    @BeforeAll
    static void start() {
        server = MailroomServer.start(TestServers.options(TestServers.Backend.SQLITE, null)
                .withTimeouts(HEADER_TIMEOUT, IDLE_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConnectionThatSendsHalfAHeaderLineIsClosedAfterTheHeaderTimeout() {
        try (RawHttp raw = new RawHttp(server.port())) {
            long started = System.nanoTime();
            raw.send("GET /healthz HTTP/1.1\r\nHost: loc");
            RawHttp.Received got = raw.receive(5000);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(got.closedByServer()).as("closed by the server").isTrue();
            assertThat(got.statuses()).isEmpty();
            assertThat(elapsedMillis).isBetween(HEADER_TIMEOUT.toMillis() - 100, HEADER_TIMEOUT.toMillis() + 1500);
        }
    }

    @Test
    void headersSentByteByByteAreStillCutOffAtTheHeaderTimeout() throws Exception {
        try (RawHttp raw = new RawHttp(server.port())) {
            long started = System.nanoTime();
            raw.send("GET /healthz HTTP/1.1\r\n");
            boolean closed = false;
            // one header byte every 200 ms: each read is quick, the whole header section is not
            for (int i = 0; i < 25 && !closed; i++) {
                raw.send("X");
                closed = raw.closedWithin(200);
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(closed).isTrue();
            assertThat(elapsedMillis).isLessThan(HEADER_TIMEOUT.toMillis() + 1500);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeoutAndNotBefore() {
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received first = raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").receive(500);
            assertThat(first.statuses()).containsExactly(200);
            assertThat(first.closedByServer()).isFalse();
            // still open after the header timeout: waiting for a request is not sending headers. Half a second
            // past it, not more: Helidon keeps request times to the second, so the idle timeout may come a
            // second early, and twice the header timeout would meet it.
            assertThat(raw.closedWithin(HEADER_TIMEOUT.toMillis() + 500)).isFalse();
            long started = System.nanoTime();
            RawHttp.Received second = raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").receive(300);
            assertThat(second.statuses()).containsExactly(200);
            assertThat(raw.closedWithin(IDLE_TIMEOUT.toMillis() + 2000)).isTrue();
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            // Helidon keeps request times to the second, so the idle timeout holds to within a second
            assertThat(elapsedMillis).isGreaterThan(IDLE_TIMEOUT.toMillis() - 1100);
        }
    }

    @Test
    void twoThousandIdleConnectionsDoNotKeepTheServerFromAnsweringAnotherClient() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) idle.add(new Socket("127.0.0.1", server.port()));
            // half of them mid-request, so that both timeouts have work to do while others are served
            for (int i = 0; i < idle.size(); i += 2) idle.get(i).getOutputStream().write("GET /healthz HTTP/1.1\r\nHo".getBytes());
            try (RawHttp raw = new RawHttp(server.port())) {
                long started = System.nanoTime();
                RawHttp.Received got = raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").receive(5000);
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(got.statuses()).containsExactly(200);
                assertThat(elapsedMillis).isLessThan(1000);
            }
        } finally {
            for (Socket s : idle) s.close();
        }
    }
}
