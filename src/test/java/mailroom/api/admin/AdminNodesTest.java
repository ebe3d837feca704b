package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes on one PostgreSQL: one admin token file for both, and what one node's operator door does the other sees at once. */
class AdminNodesTest {
    @TempDir
    Path dir;

    @Test
    void aTokenRevokedOnOneNodeIsRefusedByTheNextRequestOnTheOther() throws Exception {
        Path file = dir.resolve("admin-token");
        MailroomServer.Options options = TestServers.options(Backend.POSTGRESQL, dir).withAdminTokenFile(file);
        try (MailroomServer node1 = MailroomServer.start(options); MailroomServer node2 = MailroomServer.start(options)) {
            String admin = "Bearer " + Files.readString(file).trim();
            FeishuHttp one = new FeishuHttp(node1.port());
            FeishuHttp two = new FeishuHttp(node2.port());
            assertThat(node2.directory().operatorTokens().list(null)).as("both nodes share the file's one token").hasSize(1);

            JsonNode created = one.send("POST", "/admin/v1/operator-tokens", admin,
                    "{\"name\":\"ci\",\"role\":\"viewer\",\"tenant\":\"globex\"}").json();
            String viewer = "Bearer " + created.get("token").asText();
            assertThat(two.send("GET", "/admin/v1/tenants/globex", viewer, null).status()).isEqualTo(200);
            assertThat(two.send("GET", "/admin/v1/tenants/acme", viewer, null).status()).isEqualTo(404);

            assertThat(one.send("DELETE", "/admin/v1/operator-tokens/" + created.get("id").asText(), admin, null).status())
                    .isEqualTo(204);
            FeishuHttp.Response refused = two.send("GET", "/admin/v1/tenants/globex", viewer, null);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().get("detail").asText()).isEqualTo("unknown or revoked operator token");
        }
    }

    @Test
    void aTenantCreatedOnOneNodeIsSeenAndDeletedOnTheOther() throws Exception {
        Path file = dir.resolve("admin-token");
        MailroomServer.Options options = TestServers.options(Backend.POSTGRESQL, dir).withAdminTokenFile(file);
        try (MailroomServer node1 = MailroomServer.start(options); MailroomServer node2 = MailroomServer.start(options)) {
            String admin = "Bearer " + Files.readString(file).trim();
            FeishuHttp one = new FeishuHttp(node1.port());
            FeishuHttp two = new FeishuHttp(node2.port());
            assertThat(one.send("POST", "/admin/v1/tenants", admin, "{\"key\":\"initech\",\"domains\":[\"initech.test\"]}")
                    .status()).isEqualTo(201);
            JsonNode seen = two.send("GET", "/admin/v1/tenants/initech", admin, null).json();
            assertThat(seen.get("domains").toString()).isEqualTo("[\"initech.test\"]");
            assertThat(two.send("DELETE", "/admin/v1/tenants/initech", admin, null).status()).isEqualTo(204);
            assertThat(one.send("GET", "/admin/v1/tenants/initech", admin, null).status()).isEqualTo(404);
        }
    }
}
