package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.utils.WCWidth;

/**
 * What an online command prints on stdout: the API's JSON as is ({@code --json}), or for people aligned columns
 * (a list) and aligned name/value lines (one object). Widths count terminal columns, so names in Chinese align.
 */
final class Output {
    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    PrintWriter out() {
        return out;
    }

    /** The answer's body exactly as the server sent it, ended by one newline. */
    void raw(AdminClient.Answer answer) {
        String text = answer.text();
        out.print(text);
        if (!text.endsWith("\n")) out.println();
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** The answer as JSON when asked for, else as name/value lines. */
    void object(AdminClient.Answer answer) {
        if (json) {
            raw(answer);
        } else {
            fields(answer.json());
        }
    }

    /** One object as "name  value" lines: nested objects flattened to dotted names, lists of values joined. */
    void fields(JsonNode object) {
        List<List<String>> rows = new ArrayList<>();
        flatten("", object, rows);
        print(rows);
    }

    private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
            }
        } else {
            rows.add(List.of(prefix, cell(node)));
        }
    }

    /** A table of items, one column per field (its name upper-cased as the header). */
    void table(List<JsonNode> items, String... fields) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (String f : fields) header.add(f.toUpperCase(Locale.ROOT));
        rows.add(header);
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            for (String f : fields) row.add(cell(item.path(f)));
            rows.add(row);
        }
        print(rows);
    }

    /** A JSON value as one cell: text as is, lists joined by ", ", absent or null as "-". */
    static String cell(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return "-";
        if (v.isArray()) {
            if (v.isEmpty()) return "-";
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.isValueNode() ? e.asText() : e.toString()));
            return String.join(", ", parts);
        }
        if (v instanceof ObjectNode o) return o.isEmpty() ? "-" : o.toString();
        return v.asText();
    }

    /** Columns two spaces apart, each as wide as its widest cell; the last one unpadded, so no line ends in blanks. */
    private void print(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], width(row.get(i)));
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String c = row.get(i).replace('\n', ' ');
                line.append(c);
                if (i < row.size() - 1) line.append(" ".repeat(width[i] - width(c) + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** Terminal columns of a text: wide (East Asian) characters take two. */
    static int width(String text) {
        int w = 0;
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            w += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return w;
    }
}
