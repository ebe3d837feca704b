package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mailroom.testing.MailroomProcess;
import mailroom.testing.MailroomProcess.Ended;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline commands as a user runs them, each in a JVM of its own: exactly their lines and exit codes, no
 * logging noise, and a server in another process keeps its store from a restore while a backup of it works.
 */
class OfflineCommandsProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Ended mailroom(String... args) throws Exception {
        return MailroomProcess.run(dir, DEADLINE, args);
    }

    @Test
    void checkSeedPrintsItsSummaryOrEveryProblemAndNothingElse() throws Exception {
        Files.writeString(dir.resolve("good.yaml"), "tenants:\n  - key: acme\n    domains: [acme.test]\n    users: [{user_id: u1, email: a@acme.test}]\n");
        Ended good = mailroom("check-seed", "good.yaml");
        assertThat(good.stdout()).containsExactly("good.yaml: 1 tenant, 1 user, 0 apps \u2014 no errors");
        assertThat(good.stderr()).isEmpty();
        assertThat(good.exit()).isZero();

        Files.writeString(dir.resolve("bad.yaml"), "tenants:\n  - key: acme\n    domains: [acme.test]\n    users: [{user_id: u1, email: a@beta.test}]\n"
                + "    limits: {mail_groups: -5}\n");
        Ended bad = mailroom("check-seed", "bad.yaml");
        assertThat(bad.stdout()).containsExactly(
                "bad.yaml:4:34: tenants[0].users[0].email: domain beta.test is not a domain of this tenant (acme.test)",
                "bad.yaml:5:27: tenants[0].limits.mail_groups: must not be negative",
                "bad.yaml: 1 tenant, 1 user, 0 apps \u2014 2 errors");
        assertThat(bad.stderr()).isEmpty();
        assertThat(bad.exit()).isEqualTo(1);
    }

    @Test
    void aServerInAnotherProcessKeepsItsStoreFromARestoreWhileABackupOfItWorks() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = MailroomProcess.builder(dir, "serve", "--port", String.valueOf(port), "--data", "data", "--demo").start();
        try {
            BlockingQueue<String> out = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                    r.lines().forEach(out::add);
                } catch (IOException e) {
                    out.add("(stdout failed: " + e + ")");
                }
            });
            String line;
            do {
                line = out.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(line).as("a line of the server before it serves").isNotNull();
            } while (!line.contains("Mailroom serving on"));

            Ended backup = mailroom("backup", "--data", "data", "--to", "demo.db");
            assertThat(backup.stderr()).isEmpty();
            assertThat(backup.stdout()).containsExactly("wrote demo.db: " + Files.size(dir.resolve("demo.db")) + " bytes, 1 tenant, 3 addresses");
            assertThat(backup.exit()).isZero();

            Ended refused = mailroom("restore", "--from", "demo.db", "--data", "data");
            assertThat(refused.stderr()).containsExactly("mailroom: restore refused: data/mailroom.db is in use by a running Mailroom server (pid "
                    + server.pid() + " holds data/mailroom.lock); stop it first");
            assertThat(refused.stdout()).isEmpty();
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(dir.resolve("data/mailroom.db.before-restore")).doesNotExist();

            server.destroy();
            assertThat(server.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
        } finally {
            server.destroyForcibly();
        }
        Ended restored = mailroom("restore", "--from", "demo.db", "--data", "data");
        assertThat(restored.stderr()).isEmpty();
        assertThat(restored.stdout()).containsExactly(
                "restored data/mailroom.db from demo.db: " + Files.size(dir.resolve("data/mailroom.db")) + " bytes, 1 tenant, 3 addresses",
                "the replaced store is kept as data/mailroom.db.before-restore");
        assertThat(restored.exit()).isZero();
    }

    @Test
    void aMistypedOptionIsOneLineAndExit2() throws Exception {
        Ended ended = mailroom("backup", "--data", "data");
        assertThat(ended.stderr()).containsExactly("mailroom: Missing required option: '--to=FILE'", "see 'mailroom backup --help'");
        assertThat(ended.exit()).isEqualTo(2);
    }
}
