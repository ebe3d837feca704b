package mailroom.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The usage_counter table (V7): how many rows each tenant limit counts, per scope. Only the record classes
 * that insert and delete the counted rows move a counter, in the same statement sequence and so the same
 * transaction (or group-commit savepoint) as the rows: a rolled-back write leaves its counters as they were,
 * and a limit check costs one primary-key read however many rows there are.
 */
final class UsageCounters {
    /** What is counted, and in which scope; the migration's header says which rows each one counts. */
    enum Counted {
        TENANT_MAIL_GROUPS, TENANT_USER_MAILBOXES, TENANT_PUBLIC_MAILBOXES, GROUP_MEMBERS, GROUP_PERMISSION_MEMBERS,
        OWNER_ALIASES, USER_PUBLIC_MAILBOXES;

        /** Whether the scope id is a tenant's key. */
        boolean tenantWide() {
            return name().startsWith("TENANT_");
        }
    }

    /**
     * One counter: what it counts, in which scope. Ordered by the counted's name, then the scope: the order in which
     * every node's batches lock counter rows as they settle them.
     */
    record Key(Counted counted, String scopeId) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing((Key k) -> k.counted().name()).thenComparing(Key::scopeId);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    // One statement on both databases: the first increment of a scope creates its row, later ones add to it
    // under the row's lock, so concurrent writers of one scope can never lose an update. Values by position, as
    // PlainStatement binds them: counted, scope, delta.
    private static final String INCREMENT = """
            INSERT INTO usage_counter (counted, scope_id, value) VALUES (?, ?, ?)
            ON CONFLICT (counted, scope_id) DO UPDATE SET value = usage_counter.value + excluded.value""";
    // Not the upsert: both databases check value >= 0 on the row an upsert proposes, before its conflict.
    // Values: delta, counted, scope.
    private static final String DECREMENT = """
            UPDATE usage_counter SET value = value + ? WHERE counted = ? AND scope_id = ?""";

    private final Handle h;
    private final WriteTransaction tx;

    /** Counters read and moved in {@code tx}, which remembers what it may (null: a read, nothing remembered). */
    UsageCounters(Handle h, WriteTransaction tx) {
        this.h = h;
        this.tx = tx;
    }

    long value(Counted counted, String scopeId) {
        if (tx == null) return read(counted, scopeId);
        if (sharedTenantWide(counted, scopeId)) return tx.sharedCounter(counted, scopeId, () -> read(counted, scopeId));
        if (tx.currentWorkShares()) {
            // Without the tenant's exclusive lock, a count read here could change before the commit unseen.
            throw new IllegalStateException("an adding write reads no count but its tenant's own, through a room check: "
                    + counted + " of " + scopeId);
        }
        return tx.counter(counted, scopeId, () -> read(counted, scopeId));
    }

    /**
     * Whether the scope's count is below {@code limit}. For a tenant locked shared (ADR 0040) the answer rests on
     * what is committed now, so the transaction also notes the limit and checks it again as it settles its counters.
     */
    boolean hasRoom(Counted counted, String scopeId, long limit) {
        long value = value(counted, scopeId);
        if (sharedTenantWide(counted, scopeId)) tx.sharedLimit(counted, scopeId, limit);
        return value < limit;
    }

    private boolean sharedTenantWide(Counted counted, String scopeId) {
        return tx != null && counted.tenantWide() && tx.shares(scopeId);
    }

    /**
     * Adds each delta to its counter (made if missing) in one statement, rows locked in the map's order, and answers
     * their values after. PostgreSQL only.
     */
    static Map<Key, Long> addAllReturning(Handle h, Map<Key, Long> deltas) {
        String rows = String.join(", ", java.util.Collections.nCopies(deltas.size(), "(?, ?, ?)"));
        var query = h.createQuery(INCREMENT.replace("(?, ?, ?)", rows) + " RETURNING counted, scope_id, value");
        int at = 0;
        for (Map.Entry<Key, Long> e : deltas.entrySet()) {
            query.bind(at++, e.getKey().counted().name()).bind(at++, e.getKey().scopeId()).bind(at++, e.getValue());
        }
        Map<Key, Long> after = new java.util.HashMap<>();
        query.map((rs, ctx) -> Map.entry(new Key(Counted.valueOf(rs.getString(1)), rs.getString(2)), rs.getLong(3)))
                .forEach(e -> after.put(e.getKey(), e.getValue()));
        return after;
    }

    private long read(Counted counted, String scopeId) {
        return h.createQuery("SELECT value FROM usage_counter WHERE counted = :counted AND scope_id = :scope")
                .bind("counted", counted.name()).bind("scope", scopeId).mapTo(Long.class).findOne().orElse(0L);
    }

    /** The counter's value as an SQL expression for a query that names the scope's id as {@code scopeColumn}. */
    static String valueSql(Counted counted, String scopeColumn) {
        return "COALESCE((SELECT value FROM usage_counter WHERE counted = '" + counted.name() + "' AND scope_id = "
                + scopeColumn + "), 0)";
    }

    /**
     * Adds {@code delta} to the scope's counter. Taking away more than it holds is a counter that no longer
     * matches its rows: the write fails (value >= 0, or no row to take from) rather than let a limit drift.
     */
    void add(Counted counted, String scopeId, long delta) {
        if (delta == 0) return;
        if (sharedTenantWide(counted, scopeId)) {
            tx.addShared(counted, scopeId, delta); // made as the transaction settles, under the row's lock
            return;
        }
        int changed = delta > 0 ? PlainStatement.update(h, INCREMENT, counted.name(), scopeId, delta)
                : PlainStatement.update(h, DECREMENT, delta, counted.name(), scopeId);
        if (changed == 0) throw missing(counted, scopeId);
        if (tx != null) tx.counterAdded(counted, scopeId, delta);
    }

    /** Adds {@code delta} once per occurrence of a scope id in {@code scopeIds}: one row each, in one batch. */
    void addEach(Counted counted, Collection<String> scopeIds, long delta) {
        Map<String, Long> deltas = new TreeMap<>();
        for (String id : scopeIds) deltas.merge(id, delta, Long::sum);
        addAll(counted, deltas);
    }

    /**
     * Adds each scope's delta: the increments in one batch, then the decrements in another, each in key order,
     * so that two writers that change the same rows take their locks in the same order and cannot deadlock.
     */
    void addAll(Counted counted, Map<String, Long> deltas) {
        Map<String, Long> increments = new TreeMap<>();
        Map<String, Long> decrements = new TreeMap<>();
        deltas.forEach((scope, delta) -> {
            if (delta != 0 && sharedTenantWide(counted, scope)) {
                tx.addShared(counted, scope, delta);
                return;
            }
            if (delta > 0) increments.put(scope, delta);
            if (delta < 0) decrements.put(scope, delta);
        });
        if (increments.size() + decrements.size() == 1) {
            var only = (increments.isEmpty() ? decrements : increments).entrySet().iterator().next();
            add(counted, only.getKey(), only.getValue());
            return;
        }
        batch(counted, true, increments);
        batch(counted, false, decrements);
    }

    private void batch(Counted counted, boolean increments, Map<String, Long> deltas) {
        if (deltas.isEmpty()) return;
        List<String> scopes = new ArrayList<>(deltas.keySet());
        PreparedBatch batch = h.prepareBatch(increments ? INCREMENT : DECREMENT);
        for (String scope : scopes) {
            if (increments) batch.bind(0, counted.name()).bind(1, scope).bind(2, deltas.get(scope)).add();
            else batch.bind(0, deltas.get(scope)).bind(1, counted.name()).bind(2, scope).add();
        }
        int[] changed = batch.execute();
        for (int i = 0; i < changed.length; i++) if (changed[i] == 0) throw missing(counted, scopes.get(i));
        if (tx != null) for (String scope : scopes) tx.counterAdded(counted, scope, deltas.get(scope));
    }

    private static IllegalStateException missing(Counted counted, String scopeId) {
        return new IllegalStateException("no " + counted + " counter for " + scopeId + " to take from");
    }

    /** Forgets a scope that went away (its rows are gone with it). */
    void drop(Counted counted, String scopeId) {
        h.createUpdate("DELETE FROM usage_counter WHERE counted = :counted AND scope_id = :scope")
                .bind("counted", counted.name()).bind("scope", scopeId).execute();
        if (tx != null) tx.counterDropped(counted, scopeId);
    }
}
