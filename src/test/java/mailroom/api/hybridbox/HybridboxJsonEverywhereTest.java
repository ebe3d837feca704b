package mailroom.api.hybridbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.RawHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer below /v1/public is JSON with a {@code detail}, whatever the path: unknown paths, dot-segments,
 * odd percent-encodings, and requests Helidon refuses before any door (400, 414). Over raw sockets, because
 * HTTP clients normalise or refuse such request lines themselves.
 */
class HybridboxJsonEverywhereTest {
    private static final String ACCOUNT = "/v1/public/accounts/" + HybridboxHttp.ACME;

    private static MailroomServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<String> oddTargets() {
        return Stream.of("/v1/public", "/v1/public/", "/v1/public/nosuch", "/v1/public//x", "/v1/public/./x",
                "/v1/public/%2e%2e/x", ACCOUNT + "/mailboxes/../nosuch", ACCOUNT + "/nosuch/../../x",
                "/v1/public/%zz", ACCOUNT + "/mailboxes/%zz", ACCOUNT + "/mailboxes/%", ACCOUNT + "/mailboxes/%C3%28",
                ACCOUNT + "/mailboxes/a%2Fb", ACCOUNT + "/mailboxes/%00", "/v1/public/x?%zz=1", "/v1/public/x;y",
                ACCOUNT + "/mailboxes?limit=%G1");
    }

    private static RawHttp.Received get(String target) {
        try (RawHttp raw = new RawHttp(server.port())) {
            return raw.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + HybridboxHttp.PROVISIONING
                    + "\r\nConnection: close\r\n\r\n").receive(5000);
        }
    }

    private static void assertJsonDetail(RawHttp.Received got) throws Exception {
        assertThat(got.statuses()).hasSize(1);
        assertThat(got.firstHeader("content-type")).as(got.text()).matches("application/(problem\\+)?json.*");
        JsonNode body = FeishuHttp.JSON.readTree(got.firstBody());
        assertThat(body.isObject() && body.has("detail")).as(got.firstBody()).isTrue();
        assertThat(got.firstBody()).doesNotContain("Exception", "\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddTargets")
    void anOddPathBelowThePrefixIsAnsweredInJsonWithADetail(String target) throws Exception {
        RawHttp.Received got = get(target);
        assertJsonDetail(got);
        assertThat(got.statuses().get(0)).isBetween(400, 499);
    }

    @Test
    void aMalformedPercentEncodingRefusedBeforeAnyDoorIsA400ProblemWithADetail() throws Exception {
        RawHttp.Received got = get(ACCOUNT + "/mailboxes/%zz");
        assertThat(got.statuses()).containsExactly(400);
        assertThat(got.firstHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(FeishuHttp.JSON.readTree(got.firstBody()).get("status").asInt()).isEqualTo(400);
        assertJsonDetail(got);
    }

    @Test
    void aRequestLineOverTheLimitIsA414ProblemWithADetail() throws Exception {
        RawHttp.Received got = get(ACCOUNT + "/mailboxes/" + "x".repeat(MailroomServer.MAX_REQUEST_LINE));
        assertThat(got.statuses()).containsExactly(414);
        assertJsonDetail(got);
        assertThat(FeishuHttp.JSON.readTree(got.firstBody()).get("detail").asText()).isEqualTo("Request line too long");
    }

    @Test
    void aWrongMethodOnAKnownPathIsA405InJson() throws Exception {
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Received got = raw.send("PUT " + ACCOUNT + "/mailboxes HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").receive(5000);
            assertThat(got.statuses()).containsExactly(405);
            assertJsonDetail(got);
        }
    }
}
