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
}
