package mailroom.api.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed attempts at the token endpoints are throttled per app id and per client address (docs/adr/0011), on a
 * server whose clock the test moves; clients at 127.0.0.x are different addresses of this machine.
 */
class CredentialThrottleHttpTest {
    private static final String TENANT_TOKEN = "/open-apis/auth/v3/tenant_access_token/internal";
    private static final String APP_TOKEN = "/open-apis/auth/v3/app_access_token/internal";

    private final TestClock clock = TestClock.movable(Instant.now());
    private final Map<String, FeishuHttp> clients = new HashMap<>();
    private MailroomServer server;

    @BeforeEach
    void start() {
        server = MailroomServer.start(TestServers.options(TestServers.Backend.SQLITE, null), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One client per address, kept for the test's server. */
    private FeishuHttp from(String address) {
        return clients.computeIfAbsent(address, a -> {
            try {
                return new FeishuHttp(server.port(), InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static FeishuHttp.Response token(FeishuHttp http, String path, String appId, String secret) {
        return http.send("POST", path, null, "{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}");
    }

    private static void assertInvalidParam(FeishuHttp.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo("{\"code\":10003,\"data\":{},\"msg\":\"invalid param\"}");
    }

    private static void assertIssued(FeishuHttp.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("code").asInt()).as(r.text()).isZero();
    }

    /** The gateway's rate-limit answer: HTTP 429, 99991400, the headers, and the log id in body and header. */
    private static void assertThrottled(FeishuHttp.Response r, String resetSeconds) {
        assertThat(r.status()).as(r.text()).isEqualTo(429);
        assertThat(r.header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.header("x-ogw-ratelimit-limit")).isEqualTo("10");
        assertThat(r.header("x-ogw-ratelimit-reset")).isEqualTo(resetSeconds);
        JsonNode expected = FeishuHttp.JSON.createObjectNode().put("code", 99991400).put("msg", "request trigger frequency limit")
                .set("error", FeishuHttp.JSON.createObjectNode().put("log_id", r.header("x-tt-logid")));
        assertThat(r.json()).isEqualTo(expected);
    }

    @Test
    void tenWrongSecretsFromOneAddressThenEvenTheRightOneIsRefusedUntilSixSecondsHavePassed() {
        FeishuHttp http = from("127.0.0.1");
        for (int i = 0; i < 10; i++) assertInvalidParam(token(http, TENANT_TOKEN, "cli_full", "wrong-" + i));
        assertThrottled(token(http, TENANT_TOKEN, "cli_full", "secret-full"), "6");
        assertThrottled(token(http, APP_TOKEN, "cli_full", "secret-full"), "6");
        // The address is refused whatever app it names: it has used up its failures.
        assertThrottled(token(http, TENANT_TOKEN, "cli_readonly", "secret-readonly"), "6");
        clock.advance(Duration.ofSeconds(4));
        assertThrottled(token(http, TENANT_TOKEN, "cli_full", "secret-full"), "2");
        clock.advance(Duration.ofSeconds(2));
        assertInvalidParam(token(http, TENANT_TOKEN, "cli_readonly", "wrong"));
        // Only one attempt came back, and that failure locks the address again for six seconds ...
        assertThrottled(token(http, TENANT_TOKEN, "cli_full", "secret-full"), "6");
        clock.advance(Duration.ofSeconds(6));
        assertIssued(token(http, TENANT_TOKEN, "cli_full", "secret-full"));
        assertInvalidParam(token(http, TENANT_TOKEN, "cli_readonly", "wrong"));
        // ... except for an app this address has now given the right secret of: it is held to its own failures.
        assertThrottled(token(http, TENANT_TOKEN, "cli_readonly", "secret-readonly"), "6");
        assertIssued(token(http, TENANT_TOKEN, "cli_full", "secret-full"));

        String metrics = http.send("GET", "/metrics", null, null).text();
        assertThat(metrics).contains("mailroom_rate_limited_requests_total{door=\"auth\",route=\"POST " + TENANT_TOKEN + "\"} 5.0");
        assertThat(metrics).contains("mailroom_rate_limited_requests_total{door=\"auth\",route=\"POST " + APP_TOKEN + "\"} 1.0");
    }

    @Test
    void rightSecretsAreNeverCountedHoweverMany() {
        FeishuHttp http = from("127.0.0.1");
        for (int i = 0; i < 30; i++) assertIssued(token(http, i % 2 == 0 ? TENANT_TOKEN : APP_TOKEN, "cli_full", "secret-full"));
        for (int i = 0; i < 10; i++) assertInvalidParam(token(http, TENANT_TOKEN, "cli_full", "wrong-" + i));
        assertThrottled(token(http, TENANT_TOKEN, "cli_full", "secret-full"), "6");
    }

    @Test
    void anAppIdGuessedFromManyAddressesIsRefusedToNewAddressesButNotToOneThatHasGivenItsSecret() {
        FeishuHttp owner = from("127.0.0.2");
        assertIssued(token(owner, TENANT_TOKEN, "cli_full", "secret-full"));
        for (int i = 0; i < 10; i++) assertInvalidParam(token(from("127.0.1." + (i + 1)), TENANT_TOKEN, "cli_full", "guess-" + i));

        FeishuHttp newcomer = from("127.0.0.3");
        assertThrottled(token(newcomer, TENANT_TOKEN, "cli_full", "secret-full"), "6");
        assertIssued(token(owner, TENANT_TOKEN, "cli_full", "secret-full"));
        assertIssued(token(owner, APP_TOKEN, "cli_full", "secret-full"));
        // The lock is the app id's: the newcomer's address and the other apps are free.
        assertIssued(token(newcomer, TENANT_TOKEN, "cli_readonly", "secret-readonly"));
        // The owner's own failures count: ten, and its pair of app and address is locked too.
        for (int i = 0; i < 10; i++) assertInvalidParam(token(owner, TENANT_TOKEN, "cli_full", "stale-" + i));
        assertThrottled(token(owner, TENANT_TOKEN, "cli_full", "secret-full"), "6");
    }

    @Test
    void guessesFromBehindTheSameAddressDoNotLockOutAnAppThatHasGivenItsSecretFromThere() {
        // Two clients behind one NAT or proxy: the same address for the server.
        FeishuHttp shared = from("127.0.0.8");
        assertIssued(token(shared, TENANT_TOKEN, "cli_full", "secret-full"));
        for (int i = 0; i < 10; i++) assertInvalidParam(token(shared, TENANT_TOKEN, "cli_maybe_" + i, "guess"));
        assertThrottled(token(shared, TENANT_TOKEN, "cli_maybe_10", "guess"), "6");
        assertThrottled(token(shared, TENANT_TOKEN, "cli_readonly", "secret-readonly"), "6");
        assertIssued(token(shared, TENANT_TOKEN, "cli_full", "secret-full"));
        // A proof is trusted for a day, then the address's lock applies to it as well.
        clock.advance(Duration.ofHours(24));
        for (int i = 0; i < 10; i++) assertInvalidParam(token(shared, TENANT_TOKEN, "cli_maybe_" + i, "guess"));
        assertThrottled(token(shared, TENANT_TOKEN, "cli_full", "secret-full"), "6");
    }

    @Test
    void unknownAppIdsAreFailuresOfTheAddressAndEachIdLikeAnyOther() {
        FeishuHttp scanner = from("127.0.0.4");
        for (int i = 0; i < 10; i++) assertInvalidParam(token(scanner, TENANT_TOKEN, "cli_maybe_" + i, "secret"));
        assertThrottled(token(scanner, TENANT_TOKEN, "cli_full", "secret-full"), "6");
        assertIssued(token(from("127.0.0.5"), TENANT_TOKEN, "cli_full", "secret-full"));
        // An id that does not exist is locked exactly like one that does: the answer tells nothing.
        for (int i = 0; i < 10; i++) assertInvalidParam(token(from("127.0.2." + (i + 1)), TENANT_TOKEN, "cli_nobody", "secret"));
        assertThrottled(token(from("127.0.0.6"), TENANT_TOKEN, "cli_nobody", "secret"), "6");
    }

    @Test
    void unreadableBodiesAreNotCountedAsGuesses() {
        FeishuHttp http = from("127.0.0.7");
        for (int i = 0; i < 20; i++) assertInvalidParam(http.send("POST", TENANT_TOKEN, null, "{\"app_id\": "));
        for (int i = 0; i < 20; i++) assertInvalidParam(http.send("POST", TENANT_TOKEN, null, "{\"app_id\":\"cli_full\"}"));
        assertIssued(token(http, TENANT_TOKEN, "cli_full", "secret-full"));
    }
}
