package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up as a user meets it: the real {@code mailroom.Main} in a child JVM. Each mistake ends in one line on
 * stderr and its own exit code within seconds, and a good start prints exactly its meaningful lines, then serves.
 */
class StartupProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** What a finished child printed and how it ended. */
    record Ended(int exit, List<String> stdout, List<String> stderr) {}

    /**
     * The child runs on the test JVM's class path without the test classes, so that it logs through the
     * production logback.xml (the tests' own logback-test.xml would hide what a user sees).
     */
    private ProcessBuilder mailroom(String... args) {
        String classPath = String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith(Path.of("target", "test-classes"))).toList());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, "mailroom.Main", "serve"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile());
    }

    /** Runs to its end (killed, and the test failed, if it is still running at the deadline). */
    private Ended run(String... args) throws Exception {
        Process child = mailroom(args).start();
        try {
            child.getOutputStream().close();
            boolean ended = child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(ended).as("mailroom serve %s ended within %s", String.join(" ", args), DEADLINE).isTrue();
            return new Ended(child.exitValue(), lines(child.getInputStream().readAllBytes()), lines(child.getErrorStream().readAllBytes()));
        } finally {
            child.destroyForcibly();
        }
    }

    private static List<String> lines(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A seed the server can provision, so that a case fails only by what it means to test. */
    private Path seed(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertRefused(Ended ended, int exit, String line) {
        assertThat(ended.stderr()).containsExactly(line);
        assertThat(ended.stdout()).isEmpty();
        assertThat(ended.exit()).isEqualTo(exit);
    }

    @Test
    void aPortAlreadyInUseSaysSoAndExitsWith5() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            assertRefused(run("--port", String.valueOf(port), "--demo"), 5,
                    "mailroom: cannot listen on 127.0.0.1:" + port + ": address already in use");
        }
    }

    @Test
    void aSocketmapPortAlreadyInUseSaysWhichListenerAndExitsWith5() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            assertRefused(run("--port", String.valueOf(freePort()), "--socketmap", "127.0.0.1:" + port), 5,
                    "mailroom: cannot listen for socketmap on 127.0.0.1:" + port + ": address already in use");
        }
    }

    @Test
    void aMissingSeedFileIsNamedAndExitsWith3() throws Exception {
        assertRefused(run("--port", "0", "--seed", "nowhere.yaml"), 3, "mailroom: cannot read seed file nowhere.yaml: no such file");
    }

    @Test
    void anEmptySeedFileIsNamedAndExitsWith3() throws Exception {
        seed("empty.yaml", "");
        assertRefused(run("--port", "0", "--seed", "empty.yaml"), 3, "mailroom: seed file empty.yaml:1:1: the file is empty");
    }

    @Test
    void malformedYamlNamesTheFileLineAndColumn() throws Exception {
        seed("broken.yaml", "tenants:\n  - {key: acme, domains: [acme.test\n");
        assertRefused(run("--port", "0", "--seed", "broken.yaml"), 3, "mailroom: seed file broken.yaml:2:36: "
                + "malformed YAML/JSON: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void malformedJsonNamesTheFileLineAndColumn() throws Exception {
        seed("broken.json", "{\"tenants\": [{\"key\": \"acme\"}\n");
        assertRefused(run("--port", "0", "--seed", "broken.json"), 3, "mailroom: seed file broken.json:1:29: "
                + "malformed YAML/JSON: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void aMisspelledFieldNamesItsLineAndPathAndTheKnownFields() throws Exception {
        seed("typo.yaml", "tenants:\n  - key: acme\n    domian: [acme.test]\n");
        assertRefused(run("--port", "0", "--seed", "typo.yaml"), 3, "mailroom: seed file typo.yaml:3:5: tenants[0].domian: "
                + "unknown field (known: apps, departments, domains, geo, hybridbox, key, limits, name, rate_limits, users)");
    }

    @Test
    void aFieldOfTheWrongShapeNamesItsLineAndPath() throws Exception {
        seed("shape.yaml", "tenants:\n  - key: acme\n    domains: acme.test\n");
        assertRefused(run("--port", "0", "--seed", "shape.yaml"), 3, "mailroom: seed file shape.yaml:3:14: tenants[0].domains: expected a list");
    }

    @Test
    void aMissingRequiredFieldNamesItsLineAndPath() throws Exception {
        seed("nouser.yaml", "tenants:\n  - key: acme\n    domains: [acme.test]\n    users:\n      - {user_id: u1}\n      - {name: Bob}\n");
        assertRefused(run("--port", "0", "--data", "data", "--seed", "nouser.yaml"), 3,
                "mailroom: seed file nouser.yaml:6:9: tenants[0].users[1].user_id: required field missing");
    }

    @Test
    void anAddressOutsideTheTenantsDomainsNamesItsLineAndTheDomains() throws Exception {
        seed("domain.yaml", "tenants:\n  - key: acme\n    domains: [acme.test]\n    users:\n      - {user_id: u1, email: x@other.test}\n");
        assertRefused(run("--port", "0", "--data", "data", "--seed", "domain.yaml"), 3,
                "mailroom: seed file domain.yaml:5:30: tenants[0].users[0].email: domain other.test is not a domain of this tenant (acme.test)");
    }

    @Test
    void aSeedWithSeveralProblemsNamesTheFirstAndPointsToCheckSeedForTheRest() throws Exception {
        seed("many.yaml", "tenants:\n  - key: acme\n    domains: [acme.test]\n    apps:\n      - {app_id: cli_a, app_secret: s, scopes: [mail:all]}\n"
                + "    limits: {mail_groups: -1}\n    rate_limits: {\"GET /nowhere\": 5/s}\n");
        Ended ended = run("--port", "0", "--data", "data", "--seed", "many.yaml");
        assertThat(ended.stderr()).containsExactly("mailroom: seed file many.yaml:5:49: tenants[0].apps[0].scopes[0]: unknown scope mail:all (known: "
                        + CheckSeedCommandTest.KNOWN_SCOPES + ")",
                "mailroom: 2 more problems in many.yaml; 'mailroom check-seed many.yaml' lists them all");
        assertThat(ended.exit()).isEqualTo(3);
        assertThat(dir.resolve("data")).as("refused before the store was created").doesNotExist();
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedWith4AndNamesTheFirst() throws Exception {
        Path data = dir.resolve("data");
        try (var first = mailroom.server.MailroomServer.start(new mailroom.server.MailroomServer.Options("127.0.0.1", 0, data, null, List.of(), true))) {
            assertRefused(run("--port", "0", "--data", "data"), 4, "mailroom: cannot open database data/mailroom.db: in use by another Mailroom server (pid "
                    + ProcessHandle.current().pid() + " holds data/mailroom.lock)");
        }
    }

    @Test
    void aSqliteFileThatIsNoDatabaseExitsWith4() throws Exception {
        Files.createDirectories(dir.resolve("bad"));
        Files.writeString(dir.resolve("bad/mailroom.db"), "this is not a database, it only lives where one should be\n".repeat(20));
        assertRefused(run("--port", "0", "--data", "bad"), 4,
                "mailroom: cannot open database bad/mailroom.db: [SQLITE_NOTADB] File opened that is not a database file (file is not a database)");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedExitsWith4() throws Exception {
        Files.writeString(dir.resolve("plain-file"), "x");
        assertRefused(run("--port", "0", "--data", "plain-file/data"), 4,
                "mailroom: cannot open database plain-file/data/mailroom.db: " + dir.toAbsolutePath() + "/plain-file/data: Not a directory");
    }

    @Test
    void anUnreachablePostgresqlExitsWith4WithinSecondsAndNeverPrintsTheUrlParameters() throws Exception {
        int closed = freePort();
        long started = System.nanoTime();
        Ended ended = run("--port", "0", "--admin-token-file", "admin-token",
                "--database-url", "jdbc:postgresql://127.0.0.1:" + closed + "/x?user=u&password=secret");
        assertRefused(ended, 4, "mailroom: cannot open database jdbc:postgresql://127.0.0.1:" + closed + "/x: Connection to 127.0.0.1:" + closed
                + " refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void anUnknownOptionSaysSoInTwoLinesAndExitsWith2() throws Exception {
        Ended ended = run("--prot", "8080");
        assertThat(ended.stderr()).containsExactly("mailroom: Unknown options: '--prot', '8080'", "see 'mailroom serve --help'");
        assertThat(ended.stdout()).isEmpty();
        assertThat(ended.exit()).isEqualTo(2);
    }

    @Test
    void debugAddsTheStackTraceAfterTheSameLine() throws Exception {
        Ended ended = run("--port", "0", "--seed", "nowhere.yaml", "--debug");
        assertThat(ended.exit()).isEqualTo(3);
        assertThat(ended.stderr().get(0)).isEqualTo("mailroom: cannot read seed file nowhere.yaml: no such file");
        assertThat(ended.stderr()).hasSize(1);
        Ended listen;
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            listen = run("--port", String.valueOf(taken.getLocalPort()), "--debug");
        }
        assertThat(listen.exit()).isEqualTo(5);
        assertThat(listen.stderr().get(1)).startsWith("mailroom.server.StartupFailure: cannot listen on 127.0.0.1:");
        assertThat(listen.stderr()).anyMatch(l -> l.startsWith("Caused by: java.net.BindException: Address already in use"));
    }

    @Test
    void aNormalDemoStartPrintsOnlyItsLinesThenServesUntilStopped() throws Exception {
        int port = freePort();
        Process child = mailroom("--port", String.valueOf(port), "--data", "data", "--demo").start();
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
            while (printed.size() < 10) {
                String line = out.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(line).as("line %d of stdout, after %s", printed.size() + 1, printed).isNotNull();
                printed.add(line);
            }
            String base = "http://127.0.0.1:" + port;
            assertThat(printed.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  m\\.server\\.AdminTokenFile - admin token generated into "
                    + "data/admin-token \\(mode 0600\\); send it as Authorization: Bearer to /admin/v1");
            assertThat(printed.get(1)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  m\\.server\\.MailroomServer - Mailroom serving on "
                    + base.replace(".", "\\.") + " \\(store: sqlite\\)");
            assertThat(printed.subList(2, 10)).containsExactly(
                    "Demo tenant provisioned.",
                    "  Feishu base URL      " + base,
                    "  app_id / app_secret  cli_demo00000001 / demo-secret",
                    "  domains              demo.test, demo-mail.test",
                    "  users (open_id)      ou_100 alice@demo.test, ou_200 bob@demo.test, ou_300 carol@demo.test",
                    "  Hybridbox            " + base + "/v1/public/accounts/6f1c2a4e-3b7d-4c8e-9a10-2b3c4d5e6f70",
                    "  Hybridbox token      hbx_sa_demo_provisioning",
                    "  Admin token file     data/admin-token (" + base + "/admin/v1)");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"store\":\"sqlite\"}");

            ProcessHandle.of(child.pid()).orElseThrow().destroy();
            assertThat(child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
            assertThat(out.poll(1, TimeUnit.SECONDS)).as("nothing more on stdout").isNull();
            assertThat(lines(child.getErrorStream().readAllBytes())).as("stderr").isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }
}
