package mailroom.directory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.Change.Op;

/**
 * The change journal: every write appends its changed objects here inside its own transaction, so a
 * change and its journal rows commit or vanish together. The store numbers them gap-free in commit order.
 */
public final class Journal {
    /**
     * How often a waiting reader looks for other nodes' entries; on an embedded database only this process
     * writes, and its commits wake the readers at once, so the reads there are only a safety net.
     */
    static final Duration SHARED_POLL = Duration.ofMillis(100);
    static final Duration EMBEDDED_POLL = Duration.ofSeconds(1);

    private final DirectoryStore store;
    private final JournalWatch watch;

    Journal(DirectoryStore store) {
        this.store = store;
        boolean embedded = store.changesTo(ObjectKind.TENANT).isPresent();
        this.watch = new JournalWatch(this::lastSeq, embedded ? EMBEDDED_POLL : SHARED_POLL);
        store.onJournalled(watch::nudge);
    }

    /**
     * Entries of a reader resuming after {@code afterSeq}: the next ones in sequence order (of one tenant
     * only, unless {@code tenantKey} is null) and where to resume after them. Resuming from
     * {@code nextAfter} never misses nor repeats an entry: entries become visible in sequence order only,
     * and a short page moves {@code nextAfter} past every entry committed when it was read, so that a
     * tenant's reader does not scan other tenants' entries again.
     */
    public Slice slice(long afterSeq, int limit, String tenantKey) {
        return store.read(r -> {
            long last = r.journal().lastSeq();
            List<Change.Entry> items = tenantKey == null ? r.journal().after(afterSeq, limit)
                    : r.journal().after(afterSeq, limit, tenantKey);
            long next = items.isEmpty() ? afterSeq : items.getLast().seq();
            if (items.size() < limit) next = Math.max(next, last);
            return new Slice(items, next);
        });
    }

    /** A page of the journal for a reader, and the sequence number to resume after. */
    public record Slice(List<Change.Entry> items, long nextAfter) {}

    /**
     * Waits until an entry above {@code afterSeq} is committed (by any node), at most {@code max};
     * answers whether one is.
     */
    public boolean await(long afterSeq, Duration max) {
        return watch.await(afterSeq, max);
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
