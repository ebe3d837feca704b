package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mailroom.server.MailroomServer;
import mailroom.store.SqlStore;
import mailroom.testing.JournalSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "operator's five minutes", command by command as written there: a server on ./data with no seed,
 * the CLI finding data/admin-token itself, a tenant, a dry run and an import of users.csv, and a backup taken
 * while the server runs that holds the imported users.
 */
class OperatorReadmeTest {
    @TempDir
    Path dir;

    @Test
    void theOperatorsFiveMinutesOfTheReadmeWorkAsWritten() throws Exception {
        Path data = dir.resolve("data");
        JournalSecrets.watch(data);
        MailroomServer.Options options = new MailroomServer.Options("127.0.0.1", 0, data, null, List.of(), false)
                .withAdminTokenFile(data.resolve("admin-token"));
        try (MailroomServer server = MailroomServer.start(options)) {
            assertThat(Files.readString(data.resolve("admin-token"))).startsWith("mr_op_");
            Map<String, String> env = Map.of("MAILROOM_URL", "http://127.0.0.1:" + server.port());

            CliRun.Ended tenant = CliRun.run(dir, env, "tenant", "create", "initech", "--name", "Initech", "--domain", "initech.test");
            assertThat(tenant.stderr()).isEmpty();
            assertThat(tenant.exit()).isZero();
            assertThat(tenant.lines().get(0)).isEqualTo("key                               initech");

            Files.writeString(dir.resolve("users.csv"), """
                    user_id,name,email,departments,open_id,union_id
                    u100,Peter Gibbons,peter@initech.test,,,
                    u200,Milton Waddams,milton@initech.test,,,
                    """);
            CliRun.Ended dry = CliRun.run(dir, env, "import", "users.csv", "--tenant", "initech", "--kind", "users", "--dry-run");
            assertThat(dry.exit()).isZero();
            assertThat(server.directory().tenantLifecycle().view("initech").usage().users()).as("a dry run keeps nothing").isZero();
            CliRun.Ended imported = CliRun.run(dir, env, "import", "users.csv", "--tenant", "initech", "--kind", "users");
            assertThat(imported.stderr()).isEmpty();
            assertThat(imported.exit()).isZero();
            assertThat(imported.stdout()).contains("2 created");
            assertThat(server.directory().tenantLifecycle().view("initech").usage().userMailboxes()).isEqualTo(2);

            CliRun.Ended listed = CliRun.run(dir, env, "user", "list", "--tenant", "initech");
            assertThat(listed.stdout()).contains("peter@initech.test", "milton@initech.test");

            CliRun.Ended backup = CliRun.run(dir, env, "backup", "--data", "data", "--to", "initech-backup.db");
            assertThat(backup.exit()).isZero();
            assertThat(backup.lines().get(0)).startsWith("wrote initech-backup.db");
        }
        Path restored = dir.resolve("restored");
        Files.createDirectories(restored);
        Files.copy(dir.resolve("initech-backup.db"), restored.resolve("mailroom.db"));
        try (SqlStore copy = SqlStore.openSqlite(restored)) {
            assertThat(copy.read(r -> r.tenants().usage("initech")).get("user_mailboxes")).isEqualTo(2L);
        }
    }
}
