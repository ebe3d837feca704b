package mailroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailroom audit --tenant KEY [filters]}: the tenant's audit log, newest first, every page unless
 * {@code --limit} asks for one; a table of who did what to which object, or the entries as JSON.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Search a tenant's audit log, its change journal, newest first.")
public final class AuditCommand extends TenantScoped {
    @Option(names = "--since", paramLabel = "TIME", description = "Only entries at or after this RFC 3339 time, e.g. 2026-01-31T09:00:00Z.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only entries before this RFC 3339 time.")
    String until;

    @Option(names = "--actor", paramLabel = "KIND:ID|ID",
            description = "Only this actor's entries: an id, or kind:id (feishu_app, hybridbox_service_account, operator, seed).")
    String actor;

    @Option(names = "--object", paramLabel = "KIND:ID|ID|ADDRESS",
            description = "Only entries about this object: an id, kind:id (e.g. mail_group:ID), or an address (sales@example.com).")
    String object;

    @Option(names = "--op", paramLabel = "OP", description = "Only this operation: create, update, delete or recycle.")
    String op;

    @Option(names = "--limit", description = "One page of this many (default: every entry found).")
    Integer limit;

    @Option(names = "--cursor", description = "The page after this cursor (printed by a --limit search).")
    String cursor;

    @Override
    int run(AdminClient client, Output out) {
        List<String> query = new ArrayList<>();
        add(query, "since", since);
        add(query, "until", until);
        add(query, "actor", actor);
        add(query, "object", object);
        add(query, "op", op);
        String p = path("audit") + (query.isEmpty() ? "" : "?" + String.join("&", query));
        list(client, out, p, limit, cursor, AuditCommand::row, "seq", "time", "actor", "op", "object", "address", "request_id");
        return 0;
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) query.add(name + "=" + AdminClient.segment(value));
    }

    /** One entry as a table row: actor and object as kind:id, the address apart; the states only in --json. */
    static JsonNode row(JsonNode entry) {
        ObjectNode row = AdminClient.JSON.createObjectNode();
        row.set("seq", entry.path("seq"));
        row.set("time", entry.path("time"));
        row.put("actor", entry.path("actor").path("kind").asText() + ":" + entry.path("actor").path("id").asText());
        row.set("op", entry.path("op"));
        row.put("object", entry.path("object").path("kind").asText() + ":" + entry.path("object").path("id").asText());
        row.set("address", entry.path("object").path("address"));
        row.set("request_id", entry.path("request_id"));
        return row;
    }
}
