package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mailroom import} and {@code mailroom export} as a user runs them: failed rows printed with their number
 * in the file, a large file sent in chunks whose summed answer is the one the door gives for the whole file, and a
 * progress bar only on a terminal and never in --json output.
 */
class ImportExportProcessTest extends CliServerTest {
    /** Four rows: one that applies, one of a foreign domain, one of too few fields, one without its address. */
    private static final String GROUPS = "email,name,description,who_can_send_mail\n"
            + "sales@acme.test,Sales,,ANYONE\n"
            + "bad@nowhere.test,Bad,,\n"
            + "\"eng@acme.test\",\"Eng, \"\"core\"\"\",multi\n"
            + ",x,,\n";

    @BeforeEach
    void writeFile() throws Exception {
        Files.writeString(dir.resolve("groups.csv"), GROUPS);
    }

    /** What the door answers for the whole file in one request. */
    private String apiImport(String kind, String csv, boolean dryRun) {
        return server.importCsv("acme", "kind=" + kind + (dryRun ? "&dry_run=true" : ""), csv).text();
    }

    private String exported(String kind) {
        return server.exportCsv("acme", kind);
    }

    @Test
    void aDryRunPrintsEachFailedRowAndTheCountsChangesNothingAndExits13() throws Exception {
        String before = exported("mail_groups");
        CliRun.Ended ended = mailroom("import", "groups.csv", "--tenant", "acme", "--kind", "mail_groups", "--dry-run");
        assertThat(ended.lines()).containsExactly(
                "ROW  CODE           MESSAGE",
                "2    not_found      domain nowhere.test is not a domain of this tenant",
                "3    invalid_field  row has 3 fields; the header has 4",
                "4    invalid_field  email is required",
                "dry run, nothing changed: 4 rows, 1 created, 0 updated, 3 failed");
        assertThat(ended.stderr()).isEmpty();
        assertThat(ended.exit()).isEqualTo(13);
        assertThat(exported("mail_groups")).isEqualTo(before);
    }

    @Test
    void jsonOfOneRequestIsTheDoorsAnswerAndChunksSumToTheSameAnswerWithRowsNumberedAsInTheFile() throws Exception {
        String whole = apiImport("mail_groups", GROUPS, true);
        CliRun.Ended one = mailroom("--json", "import", "groups.csv", "--tenant", "acme", "--kind", "mail_groups", "--dry-run");
        assertThat(one.stdout()).isEqualTo(whole + "\n");
        CliRun.Ended chunked = mailroom("import", "groups.csv", "--tenant", "acme", "--kind", "mail_groups", "--dry-run",
                "--chunk-rows", "1", "--json");
        assertThat(chunked.stdout()).isEqualTo(whole + "\n");
        assertThat(chunked.stderr()).as("no progress bar on a pipe").isEmpty();
        assertThat(chunked.exit()).isEqualTo(13);
    }

    @Test
    void chunksApplyInFileOrderSoALaterChunkMayUseWhatAnEarlierOneCreated() throws Exception {
        List<String> rows = new ArrayList<>(List.of("email,name,description,who_can_send_mail"));
        for (int i = 1; i <= 25; i++) rows.add("g" + i + "@acme.test,Group " + i + ",,ANYONE");
        Files.writeString(dir.resolve("many.csv"), String.join("\r\n", rows) + "\r\n");
        Files.writeString(dir.resolve("members.csv"), "group,type,member\ng1@acme.test,USER,u100\ng25@acme.test,USER,u200\n");
        CliRun.Ended groups = mailroom("import", "many.csv", "--tenant", "acme", "--kind", "mail_groups", "--chunk-rows", "10");
        assertThat(groups.lines()).containsExactly("25 rows, 25 created, 0 updated, 0 failed");
        assertThat(groups.exit()).isZero();
        CliRun.Ended again = mailroom("import", "many.csv", "--tenant", "acme", "--kind", "mail_groups", "--chunk-rows", "10");
        assertThat(again.lines()).containsExactly("25 rows, 0 created, 0 updated, 0 failed");
        CliRun.Ended members = mailroom("import", "members.csv", "--tenant", "acme", "--kind", "members");
        assertThat(members.lines()).containsExactly("2 rows, 2 created, 0 updated, 0 failed");
        assertThat(exported("mail_groups").lines().count()).isEqualTo(26);
    }

    @Test
    void exportWritesTheCsvToStdoutOrToAFile() throws Exception {
        apiImport("mail_groups", GROUPS, false);
        CliRun.Ended stdout = mailroom("export", "--tenant", "acme", "--kind", "mail_groups");
        assertThat(stdout.stdout()).isEqualTo(exported("mail_groups"));
        assertThat(stdout.stdout()).startsWith("email,name,description,who_can_send_mail\r\nsales@acme.test,Sales,");
        CliRun.Ended file = mailroom("export", "--tenant", "acme", "--kind", "mail_groups", "-o", "out.csv");
        assertThat(file.lines()).containsExactly("wrote mail_groups of acme to out.csv");
        assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo(exported("mail_groups"));
        CliRun.Ended wrong = mailroom("export", "--tenant", "acme", "--kind", "nope");
        assertThat(wrong.errors()).containsExactly("mailroom: validation: kind: must be one of users, mail_groups, members, aliases");
        assertThat(wrong.exit()).isEqualTo(11);
    }

    /**
     * On a terminal (a pseudo-terminal from util-linux {@code script}, where stdout and stderr are one stream) the
     * bar is drawn; with --json it is not, so even there the output is the JSON alone.
     */
    @Test
    void theProgressBarIsDrawnOnATerminalButNeverWithJson() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script makes the terminal");
        String bar = onTerminal("import", "groups.csv", "--tenant", "acme", "--kind", "mail_groups", "--dry-run", "--chunk-rows", "2");
        assertThat(bar).contains("checking mail_groups 100% [").contains("4/4 rows");
        assertThat(bar).contains("dry run, nothing changed: 4 rows, 1 created, 0 updated, 3 failed");
        String json = onTerminal("import", "groups.csv", "--tenant", "acme", "--kind", "mail_groups", "--dry-run", "--chunk-rows", "2", "--json");
        assertThat(json.replace("\r\n", "\n")).isEqualTo(apiImport("mail_groups", GROUPS, true) + "\n");
    }

    /** Everything the command wrote to its terminal. */
    private String onTerminal(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        List<String> withToken = new ArrayList<>(List.of(args));
        withToken.addAll(List.of("--token-file", "token"));
        command.addAll(CliRun.command(withToken));
        String line = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path typescript = dir.resolve("typescript");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qefc", line, "/dev/null").directory(dir.toFile())
                .redirectOutput(typescript.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(k -> k.startsWith("MAILROOM_"));
        builder.environment().putAll(env);
        Process child = builder.start();
        try {
            child.getOutputStream().close();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new String(Files.readAllBytes(typescript), StandardCharsets.UTF_8);
        } finally {
            child.destroyForcibly();
        }
    }
}
