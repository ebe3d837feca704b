package mailroom.api.hybridbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mailroom.directory.Reason;
import mailroom.server.MailroomServer;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;

/** The Hybridbox lines of the checked-in route table are this door's routes, and each answers on the running server. */
class HybridboxRoutesTest {
    @Test
    void theRunningServerServesExactlyTheCheckedInHybridboxRoutes() throws Exception {
        List<String> expected = Files.readAllLines(Path.of("src/test/resources/routes.txt")).stream()
                .map(String::trim).filter(l -> l.startsWith("hybridbox "))
                .map(l -> l.split("\\s+")).map(c -> c[1] + " " + c[2]).toList();
        assertThat(expected).hasSize(17);
        try (MailroomServer server = TestServers.start(TestServers.Backend.SQLITE)) {
            assertThat(new HybridboxDoor(server.directory()).describeRoutes()).containsExactlyElementsOf(expected);
            HybridboxHttp http = new HybridboxHttp(server.port());
            for (String route : expected) {
                String[] parts = route.split(" ");
                String path = parts[1].replace("{account_id}", HybridboxHttp.ACME).replaceAll("\\{[a-z_]+}", "x");
                // without a token every real route answers 401 (an unknown one would answer 404 or 405)
                assertThat(http.call(null, parts[0], path, null).status()).as(route).isEqualTo(401);
            }
        }
    }

    @Test
    void everyDirectoryReasonHasAHybridboxAnswer() {
        for (Reason reason : Reason.values()) {
            assertThat(HybridboxErrors.status(reason)).as(reason.name()).isBetween(400, 499);
        }
    }
}
