package mailroom.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Journal;
import mailroom.directory.Records.JournalRecords;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The change_log table. Appends wait in memory until the work is done, then in its write transaction until
 * just before the commit, when all the transaction's entries take their numbers from the one counter row and
 * go in together: the counter's row lock is held only from there to commit, so concurrent writers on
 * PostgreSQL number and commit one after another (no gaps, no late arrivals) without queueing for the whole
 * of each other's work.
 */
final class SqlJournalRecords implements JournalRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> STATE = new TypeReference<>() {};

    private final Handle h;
    private final Dialect dialect;
    /** The write transaction the entries wait in; null in a read. */
    private final WriteTransaction tx;
    private final List<Unnumbered> pending = new ArrayList<>();

    /**
     * An entry waiting for its number, its states already written as JSON: whatever the table could refuse is
     * refused when the entry is appended, inside its own work, never at the numbering that the transaction's
     * other works share.
     */
    record Unnumbered(Change change, String before, String after) {}

    SqlJournalRecords(Handle h, Dialect dialect, WriteTransaction tx) {
        this.h = h;
        this.dialect = dialect;
        this.tx = tx;
    }

    @Override
    public void append(Change change) {
        if (tx == null) throw new IllegalStateException("a read transaction cannot journal a change");
        if (change.caller() == null || change.tenantKey() == null || change.caller().actorKind() == null
                || change.objectKind() == null || change.objectId() == null || change.op() == null) {
            throw new IllegalArgumentException("a journal entry needs its tenant, actor kind, object kind, object id and op: "
                    + change);
        }
        pending.add(new Unnumbered(change, json(change.before()), json(change.after())));
    }

    /** The kinds of objects appended so far. */
    Set<Change.ObjectKind> kinds() {
        Set<Change.ObjectKind> kinds = EnumSet.noneOf(Change.ObjectKind.class);
        for (Unnumbered u : pending) kinds.add(u.change().objectKind());
        return kinds;
    }

    /** What the work appended, in order; the work hands it to its transaction when it is done. */
    List<Unnumbered> appended() {
        return pending;
    }

    /** Numbers {@code entries} in order from the counter row and writes them, inside the caller's transaction. */
    static void number(Handle h, List<Unnumbered> entries) {
        if (entries.isEmpty()) return;
        long last = h.createQuery("UPDATE change_log_counter SET last_seq = last_seq + :n WHERE id = 1 RETURNING last_seq")
                .bind("n", entries.size()).mapTo(Long.class).one();
        long[] seq = {last - entries.size()};
        PlainBatch.insert(h, "change_log", List.of("seq", "changed_at", "tenant_key", "actor_kind", "actor_id", "request_id",
                "object_kind", "object_id", "object_address", "op", "before_state", "after_state"), entries,
                u -> {
                    Change c = u.change();
                    return new Object[]{++seq[0], c.time(), c.tenantKey(), c.caller().actorKind().name(), c.caller().actorId(),
                        c.caller().requestId(), c.objectKind().name(), c.objectId(), c.address(), c.op().name(), u.before(), u.after()};
                });
    }

    @Override
    public List<Change.Entry> after(long afterSeq, int limit) {
        return h.createQuery("SELECT * FROM change_log WHERE seq > :after ORDER BY seq LIMIT :limit")
                .bind("after", afterSeq).bind("limit", limit).map((rs, ctx) -> entry(rs)).list();
    }

    @Override
    public List<Change.Entry> after(long afterSeq, int limit, String tenantKey) {
        return h.createQuery("SELECT * FROM change_log WHERE tenant_key = :tenant AND seq > :after ORDER BY seq LIMIT :limit")
                .bind("tenant", tenantKey).bind("after", afterSeq).bind("limit", limit).map((rs, ctx) -> entry(rs)).list();
    }

    @Override
    public long lastSeq() {
        // In a write, the entries of works before this one in the transaction come before this point too.
        if (tx != null) tx.numberJournal();
        return h.createQuery("SELECT last_seq FROM change_log_counter WHERE id = 1").mapTo(Long.class).one();
    }

    @Override
    public long replacements() {
        return h.createQuery("SELECT replacements FROM change_log_counter WHERE id = 1").mapTo(Long.class).one();
    }

    @Override
    public List<Change.Entry> audit(Journal.AuditQuery query, int limit) {
        Window window = null;
        if (query.since() != null) {
            Query q = h.createQuery(windowSql(dialect, query.until() != null)).bind("tenant", query.tenantKey())
                    .bind("since", query.since().toEpochMilli());
            if (query.until() != null) q.bind("until", query.until().toEpochMilli());
            window = q.map((rs, ctx) -> rs.getObject("first_seq") == null ? null : new Window(rs.getLong("first_seq"), rs.getLong("last_seq")))
                    .findOne().orElse(null);
            if (window == null) return List.of();
        }
        Search search = search(query, window, limit);
        Query q = h.createQuery(search.sql());
        search.binds().forEach(q::bind);
        return q.map((rs, ctx) -> entry(rs)).list();
    }

    /** The lowest and highest sequence numbers of a time window's entries. */
    record Window(long first, long last) {}

    /**
     * Where a time window's entries lie in sequence order, read on the time index from the window's entries alone.
     * Times follow sequence numbers only roughly (a write that waited for a lock commits after later-stamped ones),
     * so the bounds are found, not assumed. Each planner needs telling: SQLite would rather walk all the tenant's
     * entries by sequence number (so it is given the index), and PostgreSQL would answer MIN and MAX of a bare
     * {@code seq} by walking them from either end, through every entry older than the window ({@code seq + 0} is
     * not the indexed column, so it reads the window instead).
     */
    static String windowSql(Dialect dialect, boolean until) {
        return "SELECT MIN(seq + 0) AS first_seq, MAX(seq + 0) AS last_seq FROM change_log"
                + (dialect == Dialect.SQLITE ? " INDEXED BY change_log_time" : "")
                + " WHERE tenant_key = :tenant AND changed_at >= :since" + (until ? " AND changed_at < :until" : "");
    }

    /** An audit search as SQL and its bound values: one index range of the tenant's entries, walked newest first. */
    record Search(String sql, Map<String, Object> binds) {}

    static Search search(Journal.AuditQuery query, Window window, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM change_log WHERE tenant_key = :tenant");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("tenant", query.tenantKey());
        if (query.beforeSeq() != null) where(sql, binds, "seq < :below", "below", query.beforeSeq());
        if (window != null) {
            where(sql, binds, "seq >= :first", "first", window.first());
            where(sql, binds, "seq <= :last", "last", window.last());
        }
        if (query.since() != null) where(sql, binds, "changed_at >= :since", "since", query.since().toEpochMilli());
        if (query.until() != null) where(sql, binds, "changed_at < :until", "until", query.until().toEpochMilli());
        if (query.actorId() != null) where(sql, binds, "actor_id = :actorId", "actorId", query.actorId());
        if (query.actorKind() != null) where(sql, binds, "actor_kind = :actorKind", "actorKind", query.actorKind().name());
        if (query.objectId() != null) where(sql, binds, "object_id = :objectId", "objectId", query.objectId());
        if (query.objectKind() != null) where(sql, binds, "object_kind = :objectKind", "objectKind", query.objectKind().name());
        if (query.address() != null) where(sql, binds, "object_address = :address", "address", query.address());
        if (query.op() != null) where(sql, binds, "op = :op", "op", query.op().name());
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        binds.put("limit", limit);
        return new Search(sql.toString(), binds);
    }

    private static void where(StringBuilder sql, Map<String, Object> binds, String condition, String name, Object value) {
        sql.append(" AND ").append(condition);
        binds.put(name, value);
    }

    @Override
    public boolean hasEntries(String tenantKey) {
        return h.createQuery("SELECT 1 FROM change_log WHERE tenant_key = :tenant LIMIT 1").bind("tenant", tenantKey)
                .mapTo(Integer.class).findOne().isPresent();
    }

    @Override
    public int prune(long beforeMillis, int batch) {
        if (tx == null) throw new IllegalStateException("a read transaction cannot prune the journal");
        // The oldest entries by sequence number (the primary key), up to the first one too young to go: what stays is
        // always a suffix of the sequence, so a feed reader positioned at a kept entry still misses nothing.
        List<long[]> oldest = h.createQuery("SELECT seq, changed_at FROM change_log ORDER BY seq LIMIT :batch")
                .bind("batch", batch).map((rs, ctx) -> new long[]{rs.getLong("seq"), rs.getLong("changed_at")}).list();
        long cutoff = -1;
        for (long[] row : oldest) {
            if (row[1] >= beforeMillis) break;
            cutoff = row[0];
        }
        if (cutoff < 0) return 0;
        // Another node pruning the same rows at once waits for its row locks, then finds them gone: it deletes nothing.
        return h.createUpdate("DELETE FROM change_log WHERE seq <= :cutoff").bind("cutoff", cutoff).execute();
    }

    private static Change.Entry entry(ResultSet rs) throws SQLException {
        Caller caller = new Caller(rs.getString("tenant_key"), Caller.ActorKind.valueOf(rs.getString("actor_kind")),
                rs.getString("actor_id"), rs.getString("request_id"));
        return new Change.Entry(rs.getLong("seq"), new Change(caller, rs.getLong("changed_at"),
                Change.ObjectKind.valueOf(rs.getString("object_kind")), rs.getString("object_id"),
                Change.Op.valueOf(rs.getString("op")), state(rs.getString("before_state")),
                state(rs.getString("after_state"))));
    }

    private static String json(Map<String, Object> state) {
        if (state == null) return null;
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a journal state", e);
        }
    }

    private static Map<String, Object> state(String json) {
        if (json == null) return null;
        try {
            return JSON.readValue(json, STATE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a journal state", e);
        }
    }
}
