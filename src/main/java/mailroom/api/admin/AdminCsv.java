package mailroom.api.admin;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The operator door's CSV (RFC 4180, UTF-8, a header row), read and written with Apache Commons CSV: a body
 * becomes a table of named cells, rows become a body. Whatever makes the whole file unreadable (not UTF-8,
 * broken quoting, no or a wrong header, too many rows) is refused here; a row that does not fit its header
 * is kept with its fault, to be reported as that row's failure.
 */
final class AdminCsv {
    static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    /** Separates the values of a list in one cell ("D100;D200"). */
    static final String LIST_SEPARATOR = ";";

    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private AdminCsv() {}

    /** One data row: its number (1 = the first below the header), its cells by column, or why it does not fit. */
    record Row(int number, List<String> header, List<String> cells, String fault) {
        /** The cell of the column, or null when the file has no such column. */
        String get(String column) {
            int i = header.indexOf(column);
            return i < 0 ? null : cells.get(i);
        }

        boolean has(String column) {
            return header.contains(column);
        }
    }

    /** Whether the request's Content-Type is CSV in UTF-8 (the charset may be left out: UTF-8 is CSV's default here). */
    static boolean acceptable(Optional<String> contentType) {
        if (contentType.isEmpty()) return false;
        String[] parts = contentType.get().split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("text/csv")) return false;
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param.length < 2 ? "" : param[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) return false;
            }
        }
        return true;
    }

    /**
     * The body's rows under its header, which must name only {@code known} columns, each once, and all of
     * {@code required}. More than {@code maxRows} rows is refused as too large.
     */
    static List<Row> read(byte[] body, List<String> known, List<String> required, int maxRows) {
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a spreadsheet's byte order mark
        if (text.indexOf('\0') >= 0) throw AdminException.invalid("body", "must not contain the NUL character (U+0000)");
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), READ)) {
            List<String> header = null;
            var records = parser.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) break;
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException broken) {
                    throw AdminException.invalid("body", "is not valid CSV near line " + parser.getCurrentLineNumber()
                            + ": a quoted field is not closed, or a quote inside one is not doubled (RFC 4180)");
                }
                List<String> cells = record.toList();
                if (header == null) {
                    header = header(cells, known, required);
                    continue;
                }
                if (rows.size() == maxRows) {
                    throw new AdminException(AdminErrors.Problem.PAYLOAD_TOO_LARGE,
                            "an import takes at most " + maxRows + " rows; send the file in parts");
                }
                int number = rows.size() + 1;
                String fault = cells.size() == header.size() ? null
                        : "has " + cells.size() + " fields; the header has " + header.size();
                rows.add(new Row(number, header, cells, fault));
            }
            if (header == null) {
                throw AdminException.invalid("body", "must start with a header row: " + String.join(",", known));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static List<String> header(List<String> cells, List<String> known, List<String> required) {
        List<String> header = new ArrayList<>();
        List<AdminException.FieldError> errors = new ArrayList<>();
        for (String cell : cells) {
            String name = cell.trim();
            if (!known.contains(name)) {
                errors.add(new AdminException.FieldError("header", "unknown column '" + name + "' (known: "
                        + String.join(", ", known) + ")"));
            } else if (header.contains(name)) {
                errors.add(new AdminException.FieldError("header", "column '" + name + "' is named twice"));
            }
            header.add(name);
        }
        for (String column : required) {
            if (!header.contains(column)) errors.add(new AdminException.FieldError("header", "column '" + column + "' is required"));
        }
        if (!errors.isEmpty()) throw AdminException.invalid(errors);
        return header;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw AdminException.invalid("body", "is not valid UTF-8");
        }
    }

    /** A CSV body: the header, then each row's cells (null written as empty). */
    static byte[] write(List<String> header, List<List<String>> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, WRITE)) {
            printer.printRecord(header);
            for (List<String> row : rows) printer.printRecord(row.stream().map(c -> c == null ? "" : c).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The values of a list cell: split at ';', trimmed, empty ones dropped. */
    static List<String> list(String cell) {
        List<String> out = new ArrayList<>();
        if (cell == null) return out;
        for (String part : cell.split(LIST_SEPARATOR, -1)) {
            if (!part.trim().isEmpty()) out.add(part.trim());
        }
        return out;
    }
}
