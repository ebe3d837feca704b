package mailroom.api.hybridbox;

import static mailroom.testing.HybridboxHttp.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hybridbox request bodies that once answered 500 or slipped past the door: exact 422s or exact successes. */
class HybridboxBadInputTest {
    private static MailroomServer server;
    private static HybridboxHttp http;

    @BeforeAll
    static void start() {
        server = TestServers.start(Backend.SQLITE);
        http = new HybridboxHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode json(String text) {
        try {
            return FeishuHttp.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static FeishuHttp.Response createServiceAccount(String body) {
        return http.call(PROVISIONING, "POST", path(ACME, "/auth/service-accounts"), body);
    }

    @Test
    void aBodyJacksonReadsAsUtf32ButCannotDecodeIsJsonInvalid() {
        byte[] body = {0, 0, 0, 0x7B, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        FeishuHttp.Response r = http.callBytes(PROVISIONING, "POST", path(ACME, "/auth/service-accounts"), body);
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.json()).isEqualTo(json("{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",0],"
                + "\"msg\":\"JSON decode error\",\"input\":{}}]}"));
    }

    private static String yearError(String input) {
        return "{\"detail\":[{\"type\":\"datetime_parsing\",\"loc\":[\"body\",\"expires_at\"],"
                + "\"msg\":\"Input should be a valid datetime, year must be between 1 and 9999 in UTC\",\"input\":\""
                + input + "\"}]}";
    }

    @Test
    void anExpiryBeyondYear9999IsA422AndNothingIsCreated() {
        for (String expires : new String[]{"+999999999-12-31T23:59:59Z", "+100000-01-01T00:00:00Z",
                "+10000-01-01T00:00:00", "9999-12-31T23:00:00-05:00"}) {
            FeishuHttp.Response r = createServiceAccount("{\"name\":\"far\",\"expires_at\":\"" + expires + "\"}");
            assertThat(r.status()).as(expires + ": " + r.text()).isEqualTo(422);
            assertThat(r.json()).as(expires).isEqualTo(json(yearError(expires)));
        }
        FeishuHttp.Response list = http.call(PROVISIONING, "GET", path(ACME, "/auth/service-accounts"), null);
        assertThat(list.text()).doesNotContain("\"far\"");
    }

    @Test
    void theLastSecondOfYear9999IsAcceptedAndRenderedAsRfc3339() {
        FeishuHttp.Response r = createServiceAccount("{\"name\":\"last\",\"expires_at\":\"9999-12-31T18:59:59-05:00\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("expires_at").asText()).isEqualTo("9999-12-31T23:59:59Z");
    }

    @Test
    void serviceAccountNamesAreCountedInCharactersNotUtf16UnitsByDoorAndDirectoryAlike() {
        String face = new String(Character.toChars(0x1F600)); // one character, two UTF-16 units
        for (int n : new int[]{61, 120}) {
            String name = face.repeat(n);
            FeishuHttp.Response r = createServiceAccount("{\"name\":\"" + name + "\"}");
            assertThat(r.status()).as(n + ": " + r.text()).isEqualTo(201);
            assertThat(r.json().get("name").asText()).isEqualTo(name);
        }
        String tooLong = face.repeat(121);
        FeishuHttp.Response r = createServiceAccount("{\"name\":\"" + tooLong + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.json()).isEqualTo(json("{\"detail\":[{\"type\":\"string_too_long\",\"loc\":[\"body\",\"name\"],"
                + "\"msg\":\"String should have at most 120 characters\",\"input\":\"" + tooLong + "\"}]}"));
    }
}
