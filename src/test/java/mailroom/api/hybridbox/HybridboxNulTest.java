package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * U+0000 anywhere in a path value, a query value or a JSON string of the body is refused by the door with
 * one 422 before the directory sees it: PostgreSQL text cannot hold it (it answered 500) and SQLite treated
 * it as the end of the string (a search for NUL matched every mailbox). Nothing changes.
 */
class HybridboxNulTest {
    private static final String NUL_MSG = "Value error, must not contain the NUL character (U+0000)";

    private static String nulError(String loc, String input) {
        return "{\"detail\":[{\"type\":\"value_error\",\"loc\":" + loc + ",\"msg\":\"" + NUL_MSG + "\",\"input\":"
                + input + "}]}";
    }

    private static void assertRefused(FeishuHttp.Response r, String expectedBody) {
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.json()).isEqualTo(parse(expectedBody));
    }

    private static JsonNode parse(String text) {
        try {
            return FeishuHttp.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What the tests may change: every mailbox with its aliases, and every service account. */
    private static String snapshot(HybridboxHttp http) {
        FeishuHttp.Response boxes = http.call(PROVISIONING, "GET", path(ACME, "/mailboxes?page_size=100"), null);
        FeishuHttp.Response accounts = http.call(PROVISIONING, "GET", path(ACME, "/auth/service-accounts?include_revoked=true"), null);
        assertThat(boxes.status()).isEqualTo(200);
        assertThat(accounts.status()).isEqualTo(200);
        // last_used_at of the caller moves at most once a minute; leave it out of the comparison
        JsonNode list = accounts.json();
        list.forEach(a -> ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("last_used_at"));
        return boxes.text() + list;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNulInAQueryValueIsA422(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            assertRefused(http.call(PROVISIONING, "GET", path(ACME, "/mailboxes?search=%00"), null),
                    nulError("[\"query\",\"search\"]", "\"\\u0000\""));
            assertRefused(http.call(PROVISIONING, "GET", path(ACME, "/mailboxes?domain=acme.test%00"), null),
                    nulError("[\"query\",\"domain\"]", "\"acme.test\\u0000\""));
            assertRefused(http.call(PROVISIONING, "GET", path(ACME, "/auth/service-accounts?include_revoked=true%00"), null),
                    nulError("[\"query\",\"include_revoked\"]", "\"true\\u0000\""));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNulInAPathValueIsA422AndChangesNothing(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            String before = snapshot(http);
            assertRefused(http.call(PROVISIONING, "GET", path(ACME, "/mailboxes/alice%00@acme.test"), null),
                    nulError("[\"path\",\"mailbox\"]", "\"alice\\u0000@acme.test\""));
            assertRefused(http.call(PROVISIONING, "DELETE", path(ACME, "/mailboxes/alice@acme.test%00"), null),
                    nulError("[\"path\",\"mailbox\"]", "\"alice@acme.test\\u0000\""));
            assertRefused(http.call(PROVISIONING, "DELETE", path(ACME, "/mailboxes/alice@acme.test/aliases/%00"), null),
                    nulError("[\"path\",\"alias\"]", "\"\\u0000\""));
            assertThat(snapshot(http)).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNulInAnyJsonStringOfABodyIsA422AndChangesNothing(Backend backend) {
        try (MailroomServer server = TestServers.start(backend)) {
            HybridboxHttp http = new HybridboxHttp(server.port());
            String before = snapshot(http);
            String local = uniqueLocal("nul");
            assertRefused(http.call(PROVISIONING, "POST", path(ACME, "/mailboxes/bulk"),
                            "{\"domain\":\"acme.test\",\"items\":[{\"first_name\":\"A\",\"last_name\":\"B\",\"local_part\":\"x\\u0000\"},"
                                    + "{\"first_name\":\"C\",\"last_name\":\"D\",\"local_part\":\"" + local + "\"}]}"),
                    nulError("[\"body\",\"items\",0,\"local_part\"]", "\"x\\u0000\""));
            assertRefused(http.call(PROVISIONING, "POST", path(ACME, "/mailboxes"),
                            "{\"domain\":\"acme.test\",\"first_name\":\"\\u0000\",\"last_name\":\"B\",\"local_part\":\"" + local + "\"}"),
                    nulError("[\"body\",\"first_name\"]", "\"\\u0000\""));
            assertRefused(http.call(PROVISIONING, "PATCH", path(ACME, "/mailboxes/alice@acme.test"),
                            "{\"last_name\":\"L\\u0000\"}"),
                    nulError("[\"body\",\"last_name\"]", "\"L\\u0000\""));
            assertRefused(http.call(PROVISIONING, "POST", path(ACME, "/mailboxes/alice@acme.test/aliases"),
                            "{\"alias\":\"al\\u0000@acme.test\"}"),
                    nulError("[\"body\",\"alias\"]", "\"al\\u0000@acme.test\""));
            assertRefused(http.call(PROVISIONING, "POST", path(ACME, "/auth/service-accounts"),
                            "{\"name\":\"ci\\u0000\"}"),
                    nulError("[\"body\",\"name\"]", "\"ci\\u0000\""));
            assertRefused(http.call(PROVISIONING, "POST", path(ACME, "/auth/service-accounts"),
                            "{\"name\":\"ci\",\"permissions\":[\"mailbox.view\",\"\\u0000\"]}"),
                    nulError("[\"body\",\"permissions\",1]", "\"\\u0000\""));
            // every string counts, also one in a field the route ignores; all are listed at once
            FeishuHttp.Response two = http.call(PROVISIONING, "POST", path(ACME, "/auth/service-accounts"),
                    "{\"name\":\"\\u0000a\",\"note\":{\"x\":[\"b\\u0000\"]}}");
            assertThat(two.status()).as(two.text()).isEqualTo(422);
            assertThat(two.json()).isEqualTo(parse("{\"detail\":["
                    + "{\"type\":\"value_error\",\"loc\":[\"body\",\"name\"],\"msg\":\"" + NUL_MSG + "\",\"input\":\"\\u0000a\"},"
                    + "{\"type\":\"value_error\",\"loc\":[\"body\",\"note\",\"x\",0],\"msg\":\"" + NUL_MSG + "\",\"input\":\"b\\u0000\"}]}"));
            assertThat(snapshot(http)).isEqualTo(before);
        }
    }
}
