package mailroom.directory;

import java.util.List;
import java.util.Map;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Change.Op;

/**
 * The change journal: every write appends its changed objects here inside its own transaction, so a
 * change and its journal rows commit or vanish together. The store numbers them gap-free in commit order.
 */
public final class Journal {
    private final DirectoryStore store;

    Journal(DirectoryStore store) {
        this.store = store;
    }

    /** Entries after sequence number {@code afterSeq}, oldest first, at most {@code limit}. */
    public List<Change.Entry> after(long afterSeq, int limit) {
        return store.read(r -> r.journal().after(afterSeq, limit));
    }

    /** The highest sequence number committed so far (0 for an empty journal). */
    public long lastSeq() {
        return store.read(r -> r.journal().lastSeq());
    }

    public static void created(Records r, Caller caller, long now, ObjectKind kind, String id, Map<String, Object> after) {
        r.journal().append(new Change(caller, now, kind, id, Op.CREATE, null, after));
    }

    /** Appends an update unless nothing changed: a write that changes nothing journals nothing. */
    public static void updated(Records r, Caller caller, long now, ObjectKind kind, String id, Map<String, Object> before,
                        Map<String, Object> after) {
        if (!before.equals(after)) r.journal().append(new Change(caller, now, kind, id, Op.UPDATE, before, after));
    }

    /**
     * Appends an update even when before and after look alike: a new secret or token changes nothing a
     * state may show, yet it is a change an auditor must see.
     */
    public static void replaced(Records r, Caller caller, long now, ObjectKind kind, String id, Map<String, Object> before,
                                Map<String, Object> after) {
        r.journal().append(new Change(caller, now, kind, id, Op.UPDATE, before, after));
    }

    public static void deleted(Records r, Caller caller, long now, ObjectKind kind, String id, Map<String, Object> before) {
        r.journal().append(new Change(caller, now, kind, id, Op.DELETE, before, null));
    }

    public static void recycled(Records r, Caller caller, long now, ObjectKind kind, String id, Map<String, Object> before,
                         Map<String, Object> after) {
        r.journal().append(new Change(caller, now, kind, id, Op.RECYCLE, before, after));
    }
}
