package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.stream.Stream;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.Golden;
import mailroom.testing.OpenApi;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every operator-door golden scenario (src/test/resources/golden/admin) against a fresh SQLite server
 * with the contract seed, and checks every answer against the door's OpenAPI document (openapi/admin.json). A step
 * without "authorization" sends the bootstrap admin token; {@code "app": null} sends none.
 */
class AdminGoldenTest {
    @TestFactory
    Stream<DynamicTest> everyAdminGoldenScenarioMatchesExactly() {
        return Golden.files("admin").stream().map(file -> DynamicTest.dynamicTest(
                Path.of("src/test/resources/golden/admin").relativize(file).toString(), () -> replay(file)));
    }

    private static void replay(Path file) {
        try (AdminHttp admin = AdminHttp.start(TestServers.Backend.SQLITE)) {
            Golden.replay(Golden.read(file), step -> {
                String authorization = step.authorization() != null ? step.authorization()
                        : step.app() == null ? null : "Bearer " + admin.adminToken();
                return step.contentType() == null ? admin.sendAs(authorization, step.method(), step.path(), step.body())
                        : admin.sendAs(authorization, step.method(), step.path(), step.contentType(), step.body());
            }, AdminGoldenTest::normalise, OpenApi.of("admin"));
        }
    }

    /** Objects are application/json, problems application/problem+json; a 204 has no body. */
    static JsonNode normalise(FeishuHttp.Response response) {
        String type = response.header("content-type");
        if (response.status() == 204) {
            assertThat(response.text()).isEmpty();
            return FeishuHttp.JSON.nullNode();
        }
        assertThat(type).isEqualTo(response.status() >= 400 ? "application/problem+json" : "application/json");
        return response.json();
    }
}
