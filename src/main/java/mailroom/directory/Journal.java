package mailroom.directory;

import java.time.Duration;
import java.time.Instant;
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

    /** How many journalled writes this node has committed since it started: their rate says how busy it is. */
    public long localCommits() {
        return watch.commits();
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

    /**
     * A search of one tenant's journal, as the audit log asks it: entries in a time window ({@code since}
     * inclusive, {@code until} exclusive), of one actor (its id, and optionally its kind), about one object (its id)
     * or one address ({@link Change#address()}), optionally of one object kind, of one op; a null filter matches all.
     * The answer is newest first, {@code limit} entries below {@code beforeSeq} (null: from the newest).
     */
    public record AuditQuery(String tenantKey, Instant since, Instant until, Caller.ActorKind actorKind, String actorId,
                             ObjectKind objectKind, String objectId, String address, Op op, Long beforeSeq, int limit) {
        public AuditQuery {
            if (tenantKey == null) throw invalid("an audit query names its tenant", "tenant");
            if (actorKind != null && actorId == null) throw invalid("an actor kind needs the actor's id", "actor");
            if (objectKind != null && objectId == null && address == null) {
                throw invalid("an object kind needs the object's id or address", "object");
            }
            if (limit < 1) throw invalid("limit must be at least 1", "limit");
        }

        /** Every entry of the tenant, newest first, {@code limit} at a time. */
        public static AuditQuery all(String tenantKey, int limit) {
            return new AuditQuery(tenantKey, null, null, null, null, null, null, null, null, null, limit);
        }

        /** The same search, continuing below the entry numbered {@code seq}. */
        public AuditQuery below(long seq) {
            return new AuditQuery(tenantKey, since, until, actorKind, actorId, objectKind, objectId, address, op, seq, limit);
        }

        private static DirectoryException invalid(String message, String field) {
            return new DirectoryException(Reason.INVALID_ARGUMENT, message, field);
        }
    }

    /** One page of an audit search, newest first, and the sequence number to continue below (null on the last page). */
    public record AuditPage(List<Change.Entry> items, Long nextBeforeSeq) {}

    /**
     * Searches one tenant's journal, newest first (see {@link AuditQuery}). A tenant that no longer exists is still
     * searched while its entries are kept (its deletion is one of them); one that never journalled anything is
     * TENANT_NOT_FOUND.
     */
    public AuditPage audit(AuditQuery query) {
        return store.read(r -> {
            if (r.tenants().tenant(query.tenantKey()).isEmpty() && !r.journal().hasEntries(query.tenantKey())) {
                throw new DirectoryException(Reason.TENANT_NOT_FOUND, "tenant not found");
            }
            List<Change.Entry> rows = r.journal().audit(query, query.limit() + 1);
            if (rows.size() <= query.limit()) return new AuditPage(rows, null);
            List<Change.Entry> page = List.copyOf(rows.subList(0, query.limit()));
            return new AuditPage(page, page.getLast().seq());
        });
    }

    /**
     * Removes the oldest entries, in sequence order, as long as they were made before {@code before}: at most
     * {@code batch} of them, in one short write transaction of their own; answers how many went. Pruning stops at
     * the first entry that is not old enough, so what is kept is always every entry from some sequence number on:
     * a reader resuming at a kept entry misses nothing; one resuming before the oldest kept entry misses what went.
     * Several nodes pruning at once is harmless: each deletes only rows the other has not.
     */
    public int prune(Instant before, int batch) {
        if (batch < 1) throw new IllegalArgumentException("a prune batch holds at least one entry");
        return store.write(r -> r.journal().prune(before.toEpochMilli(), batch));
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
