package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal start through the real {@code ./mailroom} launcher and the packaged jar (hence an integration test, run
 * by {@code mvn verify} after {@code package}): with the start-up cache and without, it prints its own lines and
 * nothing else: no logging-implementation notice, no warning of the JVM, of Helidon or of a library.
 * (Its log lines are the admin token file's and the serving line; a demo start adds the credentials.)
 */
class LauncherIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** What the launcher itself may say on stderr, once per build: it trains the start-up cache. */
    private static final String PREPARING = "mailroom: preparing the start-up cache (once per build) ...";
    private static final Pattern NOISE = Pattern.compile("(?i)warn|notice|logging implementation|slf4j|deprecated|exception");

    @TempDir
    Path dir;

    /** What one start printed before and after it served, until stopped by SIGTERM. */
    record Started(List<String> stdout, List<String> stderr) {}

    private Started start(String cache, String... args) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of("mailroom").toAbsolutePath().toString(), "serve", "--port", String.valueOf(port)));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().put("MAILROOM_START_CACHE", cache);
        builder.environment().remove("MAILROOM_JAVA_OPTS");
        Process child = builder.start();
        try {
            BlockingQueue<String> out = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    r.lines().forEach(out::add);
                } catch (IOException e) {
                    out.add("(stdout failed: " + e + ")");
                }
            });
            List<String> printed = new ArrayList<>();
            do {
                String line = out.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(line).as("line %d of %s, after %s", printed.size() + 1, command, printed).isNotNull();
                printed.add(line);
            } while (!printed.get(printed.size() - 1).contains("Mailroom serving on"));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            child.destroy();
            assertThat(child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
            Thread.sleep(200);
            out.drainTo(printed);
            return new Started(printed, Files.readAllLines(stderr));
        } finally {
            child.destroyForcibly();
        }
    }

    /** No noise anywhere; the log says where the admin token is, then that it serves. */
    private static void assertQuiet(Started started) {
        assertThat(started.stdout()).noneMatch(line -> NOISE.matcher(line).find());
        assertThat(started.stderr()).noneMatch(line -> NOISE.matcher(line).find());
        String time = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ";
        assertThat(started.stdout().get(0)).matches(time + "m\\.server\\.AdminTokenFile - admin token generated into .*admin-token \\(mode 0600\\); "
                + "send it as Authorization: Bearer to /admin/v1");
        assertThat(started.stdout().get(1)).matches(time + "m\\.server\\.MailroomServer - Mailroom serving on http://127\\.0\\.0\\.1:\\d+ \\(store: sqlite\\)");
    }

    @Test
    void aDemoStartThroughTheLauncherPrintsItsLinesAndNoNoticeOrWarning() throws Exception {
        Started first = start("on", "--data", dir.resolve("first").toString(), "--demo");
        assertQuiet(first);
        assertThat(first.stdout()).hasSize(10).contains("Demo tenant provisioned.", "  Hybridbox token      hbx_sa_demo_provisioning");
        assertThat(first.stderr()).as("at most the launcher's one note, when it makes the cache").isSubsetOf(PREPARING);

        Started cached = start("on", "--data", dir.resolve("cached").toString(), "--demo");
        assertQuiet(cached);
        assertThat(cached.stdout()).hasSize(10);
        assertThat(cached.stderr()).as("stderr of a start from the cache").isEmpty();
    }

    @Test
    void aSeededStartWithoutTheCachePrintsOnlyThatItServes() throws Exception {
        Path seed = Files.writeString(dir.resolve("seed.yaml"), "tenants:\n  - key: acme\n    domains: [acme.test]\n"
                + "    apps: [{app_id: cli_a, app_secret: s, scopes: [mail:mailgroup]}]\n    users: [{user_id: u1, email: a@acme.test}]\n");
        Started started = start("off", "--data", dir.resolve("seeded").toString(), "--seed", seed.toString());
        assertQuiet(started);
        assertThat(started.stdout()).hasSize(2);
        assertThat(started.stderr()).isEmpty();
    }
}
