package mailroom.api.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import mailroom.api.FieldNames;
import mailroom.api.admin.AdminCsv.Row;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.Caller;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import mailroom.directory.bulk.AliasRow;
import mailroom.directory.bulk.Exports;
import mailroom.directory.bulk.ImportResult;
import mailroom.directory.bulk.Imports;
import mailroom.directory.bulk.MailGroupRow;
import mailroom.directory.bulk.MemberRow;
import mailroom.directory.bulk.RowFailure;
import mailroom.directory.bulk.UserRow;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;

/**
 * CSV import and export of a tenant's mail groups, members, aliases and users (admin-api.md §3, §4): the
 * file is read whole (a route of its own body cap), checked as CSV here, and its rows handed to the
 * directory's bulk import; the answer counts what was created and updated and lists each failed row with
 * a stable code.
 */
final class ImportApi {
    /** The import route's body cap: 100,000 rows of a few hundred bytes each. */
    static final int MAX_BODY_BYTES = mailroom.http.RequestBodies.LARGEST_CAP;

    /** What one kind of file looks like and how its rows go to the directory. */
    private record Kind(String name, List<String> columns, List<String> required, FieldNames fields,
                        Importer importer, Function<Caller, List<List<String>>> exporter) {}

    /** Turns the table's rows into the directory's and imports them; rows it cannot even type are failures. */
    @FunctionalInterface
    private interface Importer {
        ImportResult run(Caller caller, List<Row> rows, boolean dryRun, List<RowFailure> unreadable);
    }

    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    ImportApi(Imports imports, Exports exports) {
        kinds.put("users", new Kind("users", List.of("user_id", "name", "email", "departments", "open_id", "union_id"),
                List.of("user_id", "name"), new FieldNames(Map.of()),
                (caller, rows, dryRun, unreadable) -> imports.users(caller, typed(rows, unreadable, ImportApi::user), dryRun),
                caller -> exports.users(caller).stream().map(u -> Arrays.asList(u.userId(), u.name(), u.email(),
                        String.join(AdminCsv.LIST_SEPARATOR, u.departments()), u.openId(), u.unionId())).toList()));
        kinds.put("mail_groups", new Kind("mail_groups", List.of("email", "name", "description", "who_can_send_mail"),
                List.of("email"), new FieldNames(Map.of("address", "email")),
                (caller, rows, dryRun, unreadable) -> imports.mailGroups(caller, typed(rows, unreadable, ImportApi::mailGroup), dryRun),
                caller -> exports.mailGroups(caller).stream().map(g -> List.of(g.email(), g.name(), g.description(),
                        g.whoCanSendMail().name())).toList()));
        kinds.put("members", new Kind("members", List.of("group", "type", "member"), List.of("group", "type", "member"),
                new FieldNames(Map.of("user", "member", "department", "member", "address", "member")),
                (caller, rows, dryRun, unreadable) -> imports.members(caller, typed(rows, unreadable, ImportApi::member), dryRun),
                caller -> exports.members(caller).stream().map(m -> List.of(m.group(), m.type().name(), m.member())).toList()));
        kinds.put("aliases", new Kind("aliases", List.of("address", "alias"), List.of("address", "alias"),
                new FieldNames(Map.of()),
                (caller, rows, dryRun, unreadable) -> imports.aliases(caller, typed(rows, unreadable, ImportApi::alias), dryRun),
                caller -> exports.aliases(caller).stream().map(a -> List.of(a.address(), a.alias())).toList()));
    }

    void register(AdminRouter router) {
        router.route(Method.POST, "/tenants/{key}/import", Access.WRITE, Scope.TENANT, MAX_BODY_BYTES, this::importFile);
        router.route(Method.GET, "/tenants/{key}/export", Access.READ, Scope.TENANT, this::exportFile);
    }

    private Kind kind(AdminCall call) {
        String name = call.query("kind").orElse(null);
        if (name == null || name.isEmpty()) throw AdminException.invalid("kind", "is required (one of " + String.join(", ", kinds.keySet()) + ")");
        Kind kind = kinds.get(name);
        if (kind == null) throw AdminException.invalid("kind", "must be one of " + String.join(", ", kinds.keySet()));
        return kind;
    }

    private Reply importFile(AdminCall call) {
        String key = call.path("key");
        Kind kind = kind(call);
        boolean dryRun = call.flag("dry_run");
        if (!AdminCsv.acceptable(call.exchange().request().headers().first(HeaderNames.CONTENT_TYPE))) {
            throw new AdminException(AdminErrors.Problem.UNSUPPORTED_MEDIA_TYPE, "an import body is CSV: send Content-Type: "
                    + AdminCsv.MEDIA_TYPE);
        }
        List<Row> table = AdminCsv.read(call.exchange().body(), kind.columns(), kind.required(), Imports.MAX_ROWS);
        List<RowFailure> unreadable = new ArrayList<>();
        ImportResult result = kind.importer().run(call.caller(key), table, dryRun, unreadable);
        List<RowFailure> failed = new ArrayList<>(unreadable);
        failed.addAll(result.failed());
        failed.sort(Comparator.comparingInt(RowFailure::row));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dry_run", result.dryRun());
        body.put("rows", table.size());
        body.put("created", result.created());
        body.put("updated", result.updated());
        body.put("failed", failed.stream().map(f -> failure(kind, f)).toList());
        return Reply.ok(body);
    }

    private static Map<String, Object> failure(Kind kind, RowFailure f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("row", f.row());
        out.put("code", AdminErrors.importCode(f.refusal().reason()).wire());
        out.put("message", kind.fields().message(f.refusal()));
        return out;
    }

    private Reply exportFile(AdminCall call) {
        String key = call.path("key");
        Kind kind = kind(call);
        byte[] csv = AdminCsv.write(kind.columns(), kind.exporter().apply(call.caller(key)));
        call.exchange().header("Content-Disposition", "attachment; filename=\"" + key + "-" + kind.name() + ".csv\"");
        return Reply.raw(AdminCsv.MEDIA_TYPE, csv);
    }

    // ---- rows as the directory takes them ----

    /** Reads a table row into the directory's row type, or throws the refusal the row is reported with. */
    @FunctionalInterface
    private interface RowReader<R> {
        R read(Row row);
    }

    /** The rows the reader could type, in order; the others go to {@code unreadable} with their refusal. */
    private static <R> List<R> typed(List<Row> rows, List<RowFailure> unreadable, RowReader<R> reader) {
        List<R> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            try {
                if (row.fault() != null) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "row", " " + row.fault());
                out.add(reader.read(row));
            } catch (DirectoryException refused) {
                unreadable.add(new RowFailure(row.number(), refused));
            }
        }
        return out;
    }

    private static UserRow user(Row row) {
        return new UserRow(row.number(), row.get("user_id"), row.get("name"), row.get("email"),
                row.has("departments") ? AdminCsv.list(row.get("departments")) : null, row.get("open_id"), row.get("union_id"));
    }

    private static MailGroupRow mailGroup(Row row) {
        String who = row.get("who_can_send_mail");
        WhoCanSend whoCanSend = who == null ? null : who.isBlank() ? WhoCanSend.ANYONE
                : constant(WhoCanSend.class, who, "who_can_send_mail");
        return new MailGroupRow(row.number(), row.get("email"), row.get("name"), row.get("description"), whoCanSend);
    }

    private static MemberRow member(Row row) {
        String type = row.get("type");
        if (type == null || type.isBlank()) throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, "type", " is required");
        return new MemberRow(row.number(), row.get("group"), constant(MemberType.class, type, "type"), row.get("member"));
    }

    private static AliasRow alias(Row row) {
        return new AliasRow(row.number(), row.get("address"), row.get("alias"));
    }

    /** The constant a cell names (in any case), or a refusal listing the constants. */
    private static <E extends Enum<E>> E constant(Class<E> type, String cell, String column) {
        String name = cell.trim().toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) return e;
        }
        throw DirectoryException.ofField(Reason.INVALID_ARGUMENT, column, " must be one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()) + ", not '" + cell + "'");
    }
}
