package mailroom.api.hybridbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.stream.Stream;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.Golden;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.OpenApi;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every Hybridbox golden scenario (src/test/resources/golden/hybridbox) against a fresh SQLite
 * server. A step without "authorization" uses acme's provisioning token; {@code "app": null} sends none.
 */
class HybridboxGoldenTest {
    @TestFactory
    Stream<DynamicTest> everyHybridboxGoldenScenarioMatchesExactly() {
        return Golden.files("hybridbox").stream().map(file -> DynamicTest.dynamicTest(
                Path.of("src/test/resources/golden/hybridbox").relativize(file).toString(), () -> replay(file)));
    }

    private static void replay(Path file) {
        try (MailroomServer server = TestServers.start(TestServers.Backend.SQLITE)) {
            FeishuHttp http = new FeishuHttp(server.port());
            Golden.replay(Golden.read(file), step -> http.send(step.method(), step.path(),
                    step.authorization() != null ? step.authorization()
                            : step.app() == null ? null : "Bearer " + HybridboxHttp.PROVISIONING, step.body()),
                    HybridboxGoldenTest::normalise, OpenApi.of("hybridbox"));
        }
    }

    /** Every answer with a body is plain application/json. */
    static JsonNode normalise(FeishuHttp.Response response) {
        assertThat(response.header("content-type")).isEqualTo("application/json");
        return response.json();
    }
}
