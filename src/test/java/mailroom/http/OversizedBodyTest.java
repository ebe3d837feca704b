package mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.RawHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body over the cap gets exactly one answer in the door's format, and nothing inside it is ever read as
 * a further request: the bytes of a body are the client's data, never commands. Over raw sockets, because
 * no HTTP client sends a body that hides requests.
 */
class OversizedBodyTest {
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    private static final int TWELVE_MIB = 12 * 1024 * 1024;

    private static MailroomServer server;
    private static FeishuHttp http;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
        http = new FeishuHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A complete request that creates the mail group {@code local@acme.test}, as bytes a body may hide. */
    private static String hiddenCreate(String local, String connection) {
        String json = "{\"email\":\"" + local + "@acme.test\"}";
        return "POST " + GROUPS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + http.token("cli_full")
                + "\r\nContent-Type: application/json\r\nConnection: " + connection + "\r\nContent-Length: " + json.length()
                + "\r\n\r\n" + json;
    }

    /** A request head and a 12 MiB body that starts with hidden requests and goes on without a line break. */
    private static byte[] oversized(String method, String path, String authorization, String connection, String hidden) {
        StringBuilder body = new StringBuilder(TWELVE_MIB).append(hidden);
        body.append("x".repeat(TWELVE_MIB - body.length()));
        String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\n" + (connection == null ? "" : "Connection: " + connection + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean groupExists(String local) {
        return http.call("cli_full", "GET", GROUPS + "/" + local + "@acme.test", null).status() == 200;
    }

    @Test
    void aTwelveMebibyteFeishuBodyWithConnectionCloseIsAnsweredOnceAndTheRequestsHiddenInItNeverRun() {
        String hidden = hiddenCreate("hidden1", "keep-alive") + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send(oversized("POST", GROUPS, "Bearer " + http.token("cli_full"), "close", hidden))
                    .receive(3000);
            assertThat(got.statuses()).as(got.text().substring(0, Math.min(2000, got.text().length()))).containsExactly(400);
            assertThat(got.firstBody()).contains("\"code\":99992402").contains("\"field\":\"body\"");
            assertThat(got.closedByServer()).as("connection closed after the answer").isTrue();
        }
        assertThat(groupExists("hidden1")).isFalse();
    }

    @Test
    void aTwelveMebibyteFeishuBodyOnAKeepAliveConnectionIsAnsweredOnceThenTheConnectionIsClosed() {
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send(oversized("POST", GROUPS, "Bearer " + http.token("cli_full"), null,
                    hiddenCreate("hidden2", "keep-alive"))).receive(3000);
            assertThat(got.statuses()).containsExactly(400);
            assertThat(got.firstHeader("connection")).isEqualTo("close");
            assertThat(got.closedByServer()).isTrue();
        }
        assertThat(groupExists("hidden2")).isFalse();
    }

    @Test
    void aTwelveMebibyteHybridboxBodyIsAnswered413InItsOwnFormatOnce() {
        String hidden = hiddenCreate("hidden3", "keep-alive");
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send(oversized("POST", HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"),
                    "Bearer " + HybridboxHttp.PROVISIONING, "close", hidden)).receive(3000);
            assertThat(got.statuses()).containsExactly(413);
            assertThat(got.firstBody()).isEqualTo("{\"detail\":\"Request body exceeds 1048576 bytes\"}");
            assertThat(got.closedByServer()).isTrue();
        }
        assertThat(groupExists("hidden3")).isFalse();
    }

    @Test
    void aTwelveMebibyteTokenRequestGetsTheInvalidParamAnswerOnce() {
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send(oversized("POST", "/open-apis/auth/v3/tenant_access_token/internal", "none",
                    "close", hiddenCreate("hidden4", "keep-alive"))).receive(3000);
            assertThat(got.statuses()).containsExactly(200);
            assertThat(got.firstBody()).contains("\"code\":10003");
            assertThat(got.closedByServer()).isTrue();
        }
        assertThat(groupExists("hidden4")).isFalse();
    }

    @Test
    void aClientsConnectionCloseIsHonouredAndAnUnreadBodyIsNeverParsedAsARequest() {
        String hidden = hiddenCreate("hidden5", "close");
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send("POST /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                    + hidden.length() + "\r\n\r\n" + hidden).receive(3000);
            assertThat(got.statuses()).containsExactly(404);
            assertThat(got.closedByServer()).isTrue();
        }
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").receive(3000);
            assertThat(got.statuses()).containsExactly(200);
            assertThat(got.closedByServer()).isTrue();
        }
        assertThat(groupExists("hidden5")).isFalse();
    }

    @Test
    void aKeepAliveConnectionStillServesOneRequestAfterAnother() {
        try (RawHttp raw = new RawHttp(server.port())) {
            String get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
            RawHttp.Received got = raw.send(get + get).receive(1000);
            assertThat(got.statuses()).containsExactly(200, 200);
            assertThat(got.closedByServer()).isFalse();
        }
    }

    @Test
    void connectionCloseIsHonouredInAnyCaseAndAmongOtherOptions() {
        for (String connection : List.of("Close", "keep-alive, close", "close, TE", " CLOSE ")) {
            try (RawHttp raw = new RawHttp(server.port())) {
                String get = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: " + connection + "\r\n\r\n";
                RawHttp.Received got = raw.send(get + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").receive(2000);
                assertThat(got.statuses()).as("Connection: %s", connection).containsExactly(200);
                assertThat(got.closedByServer()).as("Connection: %s", connection).isTrue();
            }
        }
    }

    @Test
    void aRequestFramedByBothContentLengthAndChunkedIsRefusedAndEndsItsConnectionSoNothingCanBeSmuggledBehindIt() {
        String hidden = hiddenCreate("smuggled", "keep-alive");
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send("POST /v1/public/mailboxes HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden).receive(3000);
            // RFC 9112 §6.3: a message framed both ways is an error. Helidon refuses it before any door sees it.
            assertThat(got.statuses()).containsExactly(400);
            assertThat(got.firstHeader("content-type")).isEqualTo("application/problem+json");
            assertThat(got.firstBody()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                    + "\"detail\":\"Bad request: the request line or headers are malformed\"}");
            assertThat(got.closedByServer()).isTrue();
        }
        assertThat(groupExists("smuggled")).isFalse();
    }
}
