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

/** The Hybridbox door's route table is the checked-in one, and every route answers on the running server. */
class HybridboxRoutesTest {
    @Test
    void theRunningServerServesExactlyTheCheckedInHybridboxRoutes() throws Exception {
        List<String> expected = Files.readAllLines(Path.of("src/test/resources/routes-hybridbox.txt")).stream()
                .filter(l -> !l.isBlank()).toList();
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
