package mailroom.api.admin;

import io.helidon.http.Method;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import mailroom.api.admin.AdminRouter.Access;
import mailroom.api.admin.AdminRouter.Reply;
import mailroom.api.admin.AdminRouter.Scope;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Change.Op;
import mailroom.directory.Journal;
import mailroom.events.JournalEntries;

/**
 * The audit log: one tenant's journal entries, newest first, filtered by time, actor, object or address, and op
 * (admin-api.md §6), in the shape every reader of the journal shows. Every wrong parameter is named in one
 * validation problem; an unknown one is refused too, so that a misspelt filter does not silently widen a search.
 */
final class AuditApi {
    static final List<String> PARAMETERS = List.of("since", "until", "actor", "object", "op", "limit", "cursor");
    private static final String TIME = "must be an RFC 3339 time with an offset, e.g. 2026-01-31T09:00:00Z";

    private final Journal journal;

    AuditApi(Journal journal) {
        this.journal = journal;
    }

    void register(AdminRouter router) {
        router.route(Method.GET, "/tenants/{key}/audit", Access.READ, Scope.TENANT, this::search);
    }

    /** An actor filter: the kind (null: any) and the id. */
    private record Actor(Caller.ActorKind kind, String id) {}

    /** An object filter: the kind (null: any) and either the id or the address. */
    private record Target(ObjectKind kind, String id, String address) {}

    private Reply search(AdminCall call) {
        String key = call.path("key");
        Set<String> given = call.exchange().request().query().names();
        for (String name : given.stream().sorted().toList()) {
            if (!PARAMETERS.contains(name)) {
                call.error(name, "unknown parameter (known: " + String.join(", ", PARAMETERS) + ")");
            } else if (call.exchange().request().query().all(name).size() > 1) {
                call.error(name, "must be given once");
            }
        }
        Instant since = time(call, "since");
        Instant until = time(call, "until");
        if (since != null && until != null && !until.isAfter(since)) call.error("until", "must be later than since");
        Actor actor = actor(call);
        Target target = target(call);
        Op op = op(call);
        int limit = limit(call);
        Long below = cursor(call);
        call.requireValid();
        Journal.AuditPage page = journal.audit(new Journal.AuditQuery(key, since, until,
                actor == null ? null : actor.kind(), actor == null ? null : actor.id(),
                target == null ? null : target.kind(), target == null ? null : target.id(),
                target == null ? null : target.address(), op, below, limit));
        List<Object> items = new ArrayList<>();
        for (Change.Entry entry : page.items()) items.add(JournalEntries.view(entry));
        String next = page.nextBeforeSeq() == null ? null : AdminCall.cursorOf(Long.toString(page.nextBeforeSeq()));
        return Reply.ok(new AdminViews.Listing(items, next));
    }

    /** A parameter's value; null when absent, an error when given empty. */
    private static String value(AdminCall call, String name) {
        String v = call.query(name).orElse(null);
        if (v != null && v.isEmpty()) {
            call.error(name, "must not be empty");
            return null;
        }
        return v;
    }

    private static Instant time(AdminCall call, String name) {
        String v = value(call, name);
        if (v == null) return null;
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            call.error(name, TIME);
            return null;
        }
    }

    /** {@code kind:id} or an id alone; the kinds are the journal's actor kinds. */
    private static Actor actor(AdminCall call) {
        String v = value(call, "actor");
        if (v == null) return null;
        int colon = v.indexOf(':');
        if (colon < 0) return new Actor(null, v);
        Caller.ActorKind kind = Arrays.stream(Caller.ActorKind.values())
                .filter(k -> JournalEntries.actorKind(k).equals(v.substring(0, colon))).findFirst().orElse(null);
        if (kind == null || colon == v.length() - 1) {
            call.error("actor", "must be an actor id or kind:id, the kind one of " + String.join(", ",
                    Arrays.stream(Caller.ActorKind.values()).map(JournalEntries::actorKind).toList()));
            return null;
        }
        return new Actor(kind, v.substring(colon + 1));
    }

    /**
     * {@code kind:id}, an id alone, or an address (it holds an @; lower-cased as every stored address is), also as
     * {@code kind:address}; the kinds are the journal's object kinds.
     */
    private static Target target(AdminCall call) {
        String v = value(call, "object");
        if (v == null) return null;
        int colon = v.indexOf(':');
        ObjectKind kind = null;
        String rest = v;
        if (colon >= 0) {
            kind = Arrays.stream(ObjectKind.values()).filter(k -> JournalEntries.objectKind(k).equals(v.substring(0, colon)))
                    .findFirst().orElse(null);
            if (kind != null) rest = v.substring(colon + 1);
        }
        if ((colon >= 0 && kind == null) || rest.isEmpty()) {
            call.error("object", "must be an object id, an address, or kind:id, the kind one of " + String.join(", ",
                    Arrays.stream(ObjectKind.values()).map(JournalEntries::objectKind).toList()));
            return null;
        }
        return rest.indexOf('@') >= 0 ? new Target(kind, null, rest.toLowerCase(Locale.ROOT)) : new Target(kind, rest, null);
    }

    private static Op op(AdminCall call) {
        String v = value(call, "op");
        if (v == null) return null;
        for (Op op : Op.values()) {
            if (JournalEntries.op(op).equals(v)) return op;
        }
        call.error("op", "must be one of " + String.join(", ", Arrays.stream(Op.values()).map(JournalEntries::op).toList()));
        return null;
    }

    private static int limit(AdminCall call) {
        String v = call.query("limit").orElse(null);
        if (v == null) return AdminCall.DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= AdminCall.MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        call.error("limit", "must be an integer from 1 to " + AdminCall.MAX_LIMIT);
        return AdminCall.DEFAULT_LIMIT;
    }

    /** The sequence number the page continues below; null for the first page. */
    private static Long cursor(AdminCall call) {
        String v = call.query("cursor").orElse(null);
        if (v == null || v.isEmpty()) return null;
        String key = AdminCall.keyOf(v);
        try {
            if (key != null) return Long.parseLong(key);
        } catch (NumberFormatException e) {
            // answered below
        }
        call.error("cursor", "is not a cursor this server gave");
        return null;
    }
}
