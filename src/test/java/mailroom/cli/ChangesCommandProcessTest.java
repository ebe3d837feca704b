package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mailroom.testing.FeishuHttp;
import org.junit.jupiter.api.Test;

/**
 * {@code mailroom changes} as a user runs it: the feed's entries one JSON line each (the door's own rendering),
 * where to resume on stderr, one tenant's entries, and {@code --follow} printing new entries as they land until it is
 * stopped, then the position to resume from.
 */
class ChangesCommandProcessTest extends CliServerTest {
    private long lastSeq() {
        return server.server().directory().journal().lastSeq();
    }

    private void createGroup(String app, String address) {
        FeishuHttp.Response r = new FeishuHttp(server.server().port()).call(app, "POST", "/open-apis/mail/v1/mailgroups",
                "{\"email\":\"" + address + "\"}");
        assertThat(r.json().path("code").asInt()).as(r.text()).isZero();
    }

    /** The items of the door's answer, each as one line of compact JSON. */
    private List<String> itemLines(String query) throws Exception {
        List<String> lines = new ArrayList<>();
        JSON.readTree(api("/changes" + query)).get("items").forEach(e -> lines.add(e.toString()));
        return lines;
    }

    @Test
    void changesPrintsEveryEntryAfterThePositionAsOneJsonLineAndWhereToResume() throws Exception {
        long start = lastSeq();
        createGroup("cli_full", "sales@acme.test");
        createGroup("cli_globex", "news@globex.test");

        CliRun.Ended ended = ok2(mailroom("changes", "--after", Long.toString(start)));
        assertThat(ended.lines()).hasSize(2).containsExactlyElementsOf(itemLines("?after=" + start));
        JsonNode first = JSON.readTree(ended.lines().get(0));
        assertThat(first.get("seq").asLong()).isEqualTo(start + 1);
        assertThat(first.at("/object/address").asText()).isEqualTo("sales@acme.test");
        assertThat(ended.errors()).containsExactly("mailroom: resume with --after " + (start + 2));

        CliRun.Ended all = ok2(mailroom("changes"));
        assertThat(all.lines()).hasSize((int) (start + 2)).containsExactlyElementsOf(itemLines("?after=0&limit=1000"));
    }

    @Test
    void oneTenantsChangesOnePageAtATime() throws Exception {
        long start = lastSeq();
        createGroup("cli_globex", "one@globex.test");
        createGroup("cli_full", "noise@acme.test");
        createGroup("cli_globex", "two@globex.test");

        CliRun.Ended page = ok2(mailroom("changes", "--after", Long.toString(start), "--tenant", "globex", "--limit", "1"));
        assertThat(page.lines()).containsExactlyElementsOf(itemLines("?after=" + start + "&tenant=globex&limit=1"));
        assertThat(page.errors()).containsExactly("mailroom: resume with --after " + (start + 1));
        CliRun.Ended rest = ok2(mailroom("changes", "--after", Long.toString(start + 1), "--tenant", "globex"));
        assertThat(rest.lines()).hasSize(1);
        assertThat(JSON.readTree(rest.lines().get(0)).at("/object/address").asText()).isEqualTo("two@globex.test");
        assertThat(rest.errors()).containsExactly("mailroom: resume with --after " + (start + 3));

        assertFailed(mailroom("changes", "--tenant", "nobody"), 9, "mailroom: not-found: tenant not found");
        assertFailed(mailroom("changes", "--limit", "0"), 11, "mailroom: validation: limit: must be an integer from 1 to 1000");
    }

    @Test
    void followPrintsEntriesAsTheyLandUntilStoppedThenWhereToResume() throws Exception {
        long start = lastSeq();
        List<String> args = List.of("changes", "--follow", "--after", Long.toString(start), "--token-file", "token");
        ProcessBuilder builder = new ProcessBuilder(CliRun.command(args)).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MAILROOM_"));
        builder.environment().putAll(env);
        // stderr to a file: a pipe read while the child exits may be closed under the reader (IOException: Stream closed)
        Path stderr = dir.resolve("stderr");
        builder.redirectError(stderr.toFile());
        Process child = builder.start();
        try {
            child.getOutputStream().close();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            CompletableFuture.runAsync(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(line);
                } catch (java.io.IOException e) {
                    // the child ended
                }
            });

            createGroup("cli_full", "first@acme.test");
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertThat(first).as("the first entry is printed while the command follows").isNotNull();
            assertThat(JSON.readTree(first).get("seq").asLong()).isEqualTo(start + 1);
            createGroup("cli_globex", "second@globex.test");
            String second = lines.poll(10, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            assertThat(JSON.readTree(second).at("/object/address").asText()).isEqualTo("second@globex.test");
            assertThat(child.isAlive()).as("still following").isTrue();

            child.destroy();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(List.of(first, second)).containsExactlyElementsOf(itemLines("?after=" + start));
            assertThat(Files.readAllLines(stderr))
                    .containsExactly("mailroom: resume with --after " + (start + 2));
            assertThat(lines).isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Exited 0; what it printed on stderr is the test's to check. */
    private static CliRun.Ended ok2(CliRun.Ended ended) {
        assertThat(ended.exit()).as(ended.stderr()).isZero();
        return ended;
    }
}
