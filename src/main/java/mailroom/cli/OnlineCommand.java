package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running server through the operator door: it gets the shared options, a client and
 * the output, and every failure ends as one line on stderr ({@code mailroom: slug: detail}) and its exit code.
 */
abstract class OnlineCommand implements Callable<Integer> {
    /** The page size the list commands ask for when they gather every page (the door's maximum). */
    static final int PAGE = 500;

    @Mixin(name = AdminOptions.NAME)
    AdminOptions admin;

    @Spec
    CommandSpec spec;

    /** Does the command's work; answers its exit code (0, or {@link CliFailure#ROWS_FAILED} for an import). */
    abstract int run(AdminClient client, Output out) throws Exception;

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            AdminOptions options = admin.effective();
            AdminClient client = new AdminClient(options.baseUrl(), options::token);
            return run(client, new Output(spec.commandLine().getOut(), options.json()));
        } catch (CliFailure f) {
            spec.commandLine().getOut().flush();
            err.println("mailroom: " + f.getMessage());
            err.flush();
            return f.exit();
        } catch (Exception e) {
            err.println("mailroom: unexpected failure: " + e);
            err.flush();
            return CliFailure.UNEXPECTED;
        }
    }

    /** "/tenants/KEY" and so on: the path of a tenant's resource, each segment encoded. */
    static String tenantPath(String tenant, String... rest) {
        StringBuilder p = new StringBuilder("/tenants/").append(AdminClient.segment(tenant));
        for (String r : rest) p.append('/').append(r);
        return p.toString();
    }

    /**
     * A listing: one page as the door answers it when {@code limit} or {@code cursor} is given, else every page
     * gathered (JSON: the items of all pages in one {@code {"items": [...]}}, which is what a single page is when
     * it is the last). Table mode then prints the chosen columns, and the next cursor on stderr if there is one.
     */
    void list(AdminClient client, Output out, String path, Integer limit, String cursor, String... columns) {
        list(client, out, path, limit, cursor, UnaryOperator.identity(), columns);
    }

    /** As {@link #list(AdminClient, Output, String, Integer, String, String...)}, each item made a table row by {@code row}. */
    void list(AdminClient client, Output out, String path, Integer limit, String cursor, UnaryOperator<JsonNode> row,
              String... columns) {
        String sep = path.contains("?") ? "&" : "?";
        if (limit != null || cursor != null) {
            String query = (limit != null ? "limit=" + limit : "") + (limit != null && cursor != null ? "&" : "")
                    + (cursor != null ? "cursor=" + AdminClient.segment(cursor) : "");
            AdminClient.Answer answer = client.get(path + sep + query);
            if (out.json()) {
                out.raw(answer);
                return;
            }
            JsonNode page = answer.json();
            out.table(rows(items(page), row), columns);
            if (page.hasNonNull("next_cursor")) {
                spec.commandLine().getErr().println("mailroom: more: --cursor " + page.get("next_cursor").asText());
                spec.commandLine().getErr().flush();
            }
            return;
        }
        AdminClient.Answer first = client.get(path + sep + "limit=" + PAGE);
        JsonNode page = first.json();
        if (!page.hasNonNull("next_cursor")) {
            if (out.json()) out.raw(first);
            else out.table(rows(items(page), row), columns);
            return;
        }
        List<JsonNode> all = new ArrayList<>(items(page));
        while (page.hasNonNull("next_cursor")) {
            page = client.get(path + sep + "limit=" + PAGE + "&cursor=" + AdminClient.segment(page.get("next_cursor").asText())).json();
            all.addAll(items(page));
        }
        if (out.json()) {
            ObjectNode merged = AdminClient.JSON.createObjectNode();
            ArrayNode array = merged.putArray("items");
            all.forEach(array::add);
            out.line(merged.toString());
        } else {
            out.table(rows(all, row), columns);
        }
    }

    private static List<JsonNode> rows(List<JsonNode> items, UnaryOperator<JsonNode> row) {
        return items.stream().map(row).toList();
    }

    static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.path("items").forEach(out::add);
        return out;
    }

    /** A delete's answer: nothing with --json (the door answers 204 without a body), else what was done. */
    static void done(Output out, String what) {
        if (!out.json()) out.line(what);
    }
}
