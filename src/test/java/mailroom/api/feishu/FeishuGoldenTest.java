package mailroom.api.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.stream.Stream;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.Golden;
import mailroom.testing.OpenApi;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Replays every Feishu golden scenario (src/test/resources/golden/feishu) against a fresh SQLite server. */
class FeishuGoldenTest {
    @TestFactory
    Stream<DynamicTest> everyFeishuGoldenScenarioMatchesExactly() {
        return Golden.files("feishu").stream().map(file -> DynamicTest.dynamicTest(
                Path.of("src/test/resources/golden/feishu").relativize(file).toString(), () -> replay(file)));
    }

    private static void replay(Path file) {
        try (MailroomServer server = TestServers.start(TestServers.Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            Golden.replay(Golden.read(file), step -> step.authorization() != null
                    ? http.send(step.method(), step.path(), step.authorization(), step.body())
                    : http.call(step.app(), step.method(), step.path(), step.body()), FeishuGoldenTest::normalise,
                    OpenApi.of("feishu"));
        }
    }

    /** Checks the envelope's fixed headers and that error.log_id is the X-Tt-Logid header, then drops it. */
    static JsonNode normalise(FeishuHttp.Response response) {
        assertThat(response.header("content-type")).isEqualTo("application/json; charset=utf-8");
        String logId = response.header("x-tt-logid");
        assertThat(logId).matches("\\d{14}[0-9A-F]{20}");
        JsonNode body = response.json();
        if (body.has("error")) {
            ObjectNode error = (ObjectNode) body.get("error");
            assertThat(error.get("log_id").asText()).isEqualTo(logId);
            error.remove("log_id");
        }
        return body;
    }
}
