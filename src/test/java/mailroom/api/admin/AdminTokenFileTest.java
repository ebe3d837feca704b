package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import mailroom.directory.access.OperatorToken;
import mailroom.server.MailroomServer;
import mailroom.server.StartupFailure;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap admin token file: generated once with mode 0600, verified on every later start, refused when revoked. */
class AdminTokenFileTest {
    @TempDir
    Path dir;

    private MailroomServer start(Path tokenFile) {
        return MailroomServer.start(TestServers.options(Backend.SQLITE, dir).withAdminTokenFile(tokenFile));
    }

    @Test
    void aMissingFileIsGeneratedWithMode0600AndItsTokenIsAServerWideAdmin() throws Exception {
        Path file = dir.resolve("secrets/admin-token");
        try (MailroomServer server = start(file)) {
            String token = Files.readString(file);
            assertThat(token).matches("mr_op_[A-Za-z0-9_-]{43}\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            List<OperatorToken> tokens = server.directory().operatorTokens().list(null);
            assertThat(tokens).singleElement().satisfies(t -> {
                assertThat(t.role()).isEqualTo(OperatorToken.Role.ADMIN);
                assertThat(t.tenantKey()).isNull();
                assertThat(t.name()).isEqualTo("bootstrap (admin token file)");
            });
            FeishuHttp.Response list = new FeishuHttp(server.port()).send("GET", "/admin/v1/tenants?limit=1", "Bearer " + token.trim(), null);
            assertThat(list.status()).isEqualTo(200);
        }
    }

    @Test
    void aRestartWithTheSameFileVerifiesItsTokenAndCreatesNoOther() throws Exception {
        Path file = dir.resolve("admin-token");
        try (MailroomServer server = start(file)) {
            assertThat(server.directory().operatorTokens().list(null)).hasSize(1);
        }
        String first = Files.readString(file);
        try (MailroomServer server = start(file)) {
            assertThat(Files.readString(file)).isEqualTo(first);
            assertThat(server.directory().operatorTokens().list(null)).hasSize(1);
            long journalled = server.directory().journal().after(0, 10_000).stream()
                    .filter(e -> e.change().objectKind() == mailroom.directory.Change.ObjectKind.OPERATOR_TOKEN).count();
            assertThat(journalled).isEqualTo(1);
        }
    }

    @Test
    void aTokenWrittenByTheOperatorIsCreatedOnFirstStartSoThatManyNodesCanShareOneFile() throws Exception {
        Path file = dir.resolve("admin-token");
        Files.writeString(file, "mr_op_chosen-by-the-operator-0123456789\nsecond line ignored\n");
        try (MailroomServer server = start(file)) {
            FeishuHttp.Response list = new FeishuHttp(server.port()).send("GET", "/admin/v1/tenants?limit=1",
                    "Bearer mr_op_chosen-by-the-operator-0123456789", null);
            assertThat(list.status()).isEqualTo(200);
        }
    }

    @Test
    void aRevokedTokenInTheFileRefusesTheStartInOneLine() throws Exception {
        Path file = dir.resolve("admin-token");
        try (MailroomServer server = start(file)) {
            String id = server.directory().operatorTokens().list(null).get(0).id();
            FeishuHttp.Response revoke = new FeishuHttp(server.port()).send("DELETE", "/admin/v1/operator-tokens/" + id,
                    "Bearer " + Files.readString(file).trim(), null);
            assertThat(revoke.status()).isEqualTo(204);
        }
        assertThatThrownBy(() -> start(file)).isInstanceOfSatisfying(StartupFailure.class, e -> {
            assertThat(e.kind()).isEqualTo(StartupFailure.Kind.ADMIN_TOKEN);
            assertThat(e.getMessage()).isEqualTo("admin token file " + file
                    + ": its token was revoked (delete the file to have a new one generated)");
        });
    }

    @Test
    void anEmptyFileRefusesTheStartInOneLine() throws Exception {
        Path file = dir.resolve("admin-token");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> start(file)).isInstanceOfSatisfying(StartupFailure.class, e ->
                assertThat(e.getMessage()).isEqualTo("admin token file " + file
                        + ": its first line is empty (delete it to have a token generated)"));
    }
}
