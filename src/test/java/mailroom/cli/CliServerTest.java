package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mailroom.testing.AdminHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI's process tests share: a real server with the contract seed started for each test (so that what one
 * test creates no other sees), its admin token in the file {@code token} of the working directory, its URL in
 * MAILROOM_URL, and the assertions on what a command printed.
 */
abstract class CliServerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    AdminHttp server;
    Map<String, String> env;

    @BeforeEach
    void startServer() throws Exception {
        server = AdminHttp.start(TestServers.Backend.SQLITE);
        Files.writeString(dir.resolve("token"), server.adminToken() + "\n");
        env = Map.of("MAILROOM_URL", base());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.server().port();
    }

    /** {@code mailroom ARGS --token-file token}, the server's URL in MAILROOM_URL. */
    CliRun.Ended mailroom(String... args) throws Exception {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--token-file";
        all[args.length + 1] = "token";
        return CliRun.run(dir, env, all);
    }

    /** What the door answers to a GET with the admin token (the text of its body). */
    String api(String path) {
        return server.send("GET", "/admin/v1" + path, null).text();
    }

    /** Times, ids and tokens, which differ on every run, as fixed words. */
    static List<String> masked(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "TIME")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID")
                .replaceAll("mr_op_[A-Za-z0-9_-]+", "TOKEN")).toList();
    }

    /** As {@link #masked}, for a table whose masked cells are not the last: its columns, two spaces apart. */
    static List<String> maskedColumns(List<String> lines) {
        return masked(lines).stream().map(l -> l.replaceAll(" {2,}", "  ")).toList();
    }

    /** Printed only the one line on stderr, nothing on stdout, and exited with the code. */
    static void assertFailed(CliRun.Ended ended, int exit, String line) {
        assertThat(ended.errors()).containsExactly(line);
        assertThat(ended.stdout()).isEmpty();
        assertThat(ended.exit()).isEqualTo(exit);
    }

    /** Exited 0 with nothing on stderr. */
    static CliRun.Ended ok(CliRun.Ended ended) {
        assertThat(ended.stderr()).isEmpty();
        assertThat(ended.exit()).isZero();
        return ended;
    }
}
