package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailroom import FILE --tenant KEY --kind KIND [--dry-run]}: a CSV file into a tenant. A file of more rows
 * than one chunk is sent as several requests, each with the file's header and the next rows, in file order; their
 * results are summed and each failed row is numbered as in the file. A progress bar is drawn on stderr only on a
 * terminal and never with --json, so that neither JSON nor a redirected output carries it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a CSV file of users, mail_groups, members or aliases into a tenant.")
public final class ImportCommand extends OnlineCommand {
    static final String CSV = "text/csv; charset=utf-8";
    /** The door takes 100,000 rows and 64 MiB per request; a chunk stays well below both. */
    static final int MAX_CHUNK_CHARS = 16 * 1024 * 1024;
    /** Same reading of records as the door's, so that rows are counted as it numbers them (blank lines are none). */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    @Parameters(paramLabel = "FILE", description = "The CSV file (UTF-8, a header row).")
    Path file;

    @Option(names = "--tenant", required = true, paramLabel = "KEY", description = "The tenant to import into.")
    String tenant;

    @Option(names = "--kind", required = true, paramLabel = "KIND", description = "users, mail_groups, members or aliases.")
    String kind;

    @Option(names = "--dry-run", description = "Check every row and report, changing nothing.")
    boolean dryRun;

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "10000",
            description = "Rows per request for a large file (default: ${DEFAULT-VALUE}).")
    int chunkRows;

    /** One request's part of the file: its text (the header first) and the number of its first row in the file, less one. */
    record Chunk(String text, int offset, int rows) {}

    @Override
    int run(AdminClient client, Output out) {
        if (chunkRows < 1) throw new CliFailure(CliFailure.USAGE, "--chunk-rows must be at least 1");
        String text = read(file);
        List<Chunk> chunks = chunks(text, chunkRows, MAX_CHUNK_CHARS);
        int total = chunks.stream().mapToInt(Chunk::rows).sum();
        String path = tenantPath(tenant, "import") + "?kind=" + AdminClient.segment(kind) + (dryRun ? "&dry_run=true" : "");
        List<JsonNode> results = new ArrayList<>();
        AdminClient.Answer only = null;
        try (ProgressBar bar = progressBar(out, total)) {
            for (Chunk chunk : chunks) {
                AdminClient.Answer answer;
                try {
                    answer = client.send("POST", path, CSV, chunk.text().getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(10));
                } catch (CliFailure f) {
                    if (chunk.offset() == 0) throw f;
                    throw new CliFailure(f.exit(), f.getMessage() + " (rows 1-" + chunk.offset() + " were "
                            + (dryRun ? "checked" : "applied") + "; the rest was not sent)");
                }
                only = answer;
                results.add(shifted(answer.json(), chunk.offset()));
                if (bar != null) bar.stepBy(chunk.rows());
            }
        }
        JsonNode sum = results.size() == 1 ? results.get(0) : sum(results);
        if (out.json()) {
            if (results.size() == 1) out.raw(only);
            else out.line(sum.toString());
        } else {
            report(out, sum);
        }
        return sum.path("failed").isEmpty() ? 0 : CliFailure.ROWS_FAILED;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot read " + file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CliFailure(CliFailure.VALIDATION, file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The file cut into requests of at most {@code rows} rows (and about {@code maxChars} characters), each
     * the file's header text followed by the next rows' text exactly as written. A file that does not parse
     * as CSV here goes whole, so that the door says what is wrong with it.
     */
    static List<Chunk> chunks(String text, int rows, int maxChars) {
        List<Long> starts = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            for (CSVRecord record : parser) starts.add(record.getCharacterPosition());
        } catch (IOException | UncheckedIOException | IllegalStateException broken) {
            return List.of(new Chunk(text, 0, 0));
        }
        int data = Math.max(0, starts.size() - 1);
        if (data <= rows && text.length() <= maxChars) return List.of(new Chunk(text, 0, data));
        String header = text.substring(0, (int) (long) starts.get(1));
        List<Chunk> out = new ArrayList<>();
        int first = 1;
        while (first < starts.size()) {
            int end = first;
            int begin = (int) (long) starts.get(first);
            // At least one row per chunk, however long it is; then rows while both limits hold.
            do {
                end++;
            } while (end < starts.size() && end - first < rows && header.length() + starts.get(end) - begin <= maxChars);
            int stop = end < starts.size() ? (int) (long) starts.get(end) : text.length();
            out.add(new Chunk(header + text.substring(begin, stop), first - 1, end - first));
            first = end;
        }
        return out;
    }

    /** The answer with each failed row numbered as in the whole file. */
    private static JsonNode shifted(JsonNode result, int offset) {
        if (offset == 0 || !result.path("failed").isArray()) return result;
        for (JsonNode f : result.get("failed")) {
            if (f instanceof ObjectNode o && o.path("row").isInt()) o.put("row", o.get("row").asInt() + offset);
        }
        return result;
    }

    /** The chunks' answers as one answer of the same shape: counts added, failed rows in file order. */
    private static JsonNode sum(List<JsonNode> results) {
        ObjectNode out = AdminClient.JSON.createObjectNode();
        out.put("dry_run", results.get(0).path("dry_run").asBoolean());
        for (String count : new String[]{"rows", "created", "updated"}) {
            out.put(count, results.stream().mapToLong(r -> r.path(count).asLong()).sum());
        }
        ArrayNode failed = out.putArray("failed");
        results.forEach(r -> r.path("failed").forEach(failed::add));
        return out;
    }

    private void report(Output out, JsonNode sum) {
        List<JsonNode> failed = new ArrayList<>();
        sum.path("failed").forEach(failed::add);
        if (!failed.isEmpty()) out.table(failed, "row", "code", "message");
        out.line((sum.path("dry_run").asBoolean() ? "dry run, nothing changed: " : "") + sum.path("rows").asLong() + " rows, "
                + sum.path("created").asLong() + " created, " + sum.path("updated").asLong() + " updated, " + failed.size() + " failed");
    }

    /** A bar on stderr while chunks go, only on a terminal and never with --json; null otherwise. */
    private ProgressBar progressBar(Output out, int total) {
        if (out.json() || TokenCommand.interactiveConsole() == null) return null;
        return new ProgressBarBuilder().setTaskName((dryRun ? "checking " : "importing ") + kind).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(" rows", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build();
    }
}
