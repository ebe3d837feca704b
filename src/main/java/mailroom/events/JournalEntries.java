package mailroom.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Change.Op;
import mailroom.directory.webhook.EventTypes;

/**
 * The journal in the words of its readers (admin-api.md §6), one rendering for the audit log, the change
 * feed and webhook payloads: an entry as a JSON object, actor and object kinds as snake_case names (the event
 * types of webhooks are {@link EventTypes}').
 */
public final class JournalEntries {
    private JournalEntries() {}

    /** The entry as admin-api.md §6 shows it; the server's own entries (tenant key "") have tenant null. */
    public static Map<String, Object> view(Change.Entry entry) {
        Change c = entry.change();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", entry.seq());
        out.put("time", Instant.ofEpochMilli(c.time()).toString());
        out.put("tenant", c.tenantKey().isEmpty() ? null : c.tenantKey());
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("kind", actorKind(c.caller().actorKind()));
        actor.put("id", c.caller().actorId());
        out.put("actor", actor);
        out.put("request_id", c.caller().requestId());
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("kind", objectKind(c.objectKind()));
        object.put("id", c.objectId());
        String address = c.address();
        if (address != null) object.put("address", address);
        out.put("object", object);
        out.put("op", op(c.op()));
        out.put("before", c.before());
        out.put("after", c.after());
        return out;
    }

    public static String actorKind(Caller.ActorKind kind) {
        return switch (kind) {
            case APP -> "feishu_app";
            case SERVICE_ACCOUNT -> "hybridbox_service_account";
            case OPERATOR -> "operator";
            case SEED -> "seed";
        };
    }

    public static String objectKind(ObjectKind kind) {
        return EventTypes.kind(kind);
    }

    public static String op(Op op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

}
