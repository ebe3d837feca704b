package mailroom.directory.webhook;

import java.util.Collection;
import java.util.Locale;
import mailroom.directory.Change;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Change.Op;

/**
 * Event types, {@code <object kind>.<op in the past tense>} ({@code mail_group.created},
 * {@code user_mailbox.recycled}), and the patterns a webhook subscribes with: a type, {@code kind.*},
 * {@code *.op} or {@code *}.
 */
public final class EventTypes {
    private EventTypes() {}

    public static String of(Change c) {
        return kind(c.objectKind()) + "." + pastTense(c.op());
    }

    public static String kind(ObjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    public static String pastTense(Op op) {
        return switch (op) {
            case CREATE -> "created";
            case UPDATE -> "updated";
            case DELETE -> "deleted";
            case RECYCLE -> "recycled";
        };
    }

    /** Why the pattern names no event type, or null when it is a valid pattern. */
    public static String problem(String pattern) {
        if (pattern.equals("*")) return null;
        int dot = pattern.indexOf('.');
        if (dot < 0) return "must be <object>.<op>, <object>.*, *.<op> or *";
        String kind = pattern.substring(0, dot);
        String op = pattern.substring(dot + 1);
        if (!kind.equals("*") && !isKind(kind)) return "names no object kind: " + kind;
        if (!op.equals("*") && !isOp(op)) return "names no operation (created, updated, deleted, recycled): " + op;
        return null;
    }

    public static boolean matches(Collection<String> patterns, String type) {
        int dot = type.indexOf('.');
        String kind = type.substring(0, dot);
        String op = type.substring(dot + 1);
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type) || p.equals(kind + ".*") || p.equals("*." + op)) return true;
        }
        return false;
    }

    private static boolean isKind(String name) {
        for (ObjectKind k : ObjectKind.values()) if (kind(k).equals(name)) return true;
        return false;
    }

    private static boolean isOp(String name) {
        for (Op o : Op.values()) if (pastTense(o).equals(name)) return true;
        return false;
    }
}
