package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import mailroom.directory.DirectoryStore;
import mailroom.store.UsageCounters.Counted;
import org.jdbi.v3.core.Handle;

/**
 * What every usage counter must hold, worked out the slow way: a COUNT(*) of the rows it counts, per scope.
 * Written here independently of the store and the migration, so that a counter that drifts from its rows is
 * caught whichever of them is wrong.
 */
final class CountedRows {
    /** Per counted kind, its scopes with their row counts (scopes without rows do not appear). */
    static final Map<Counted, String> COUNTS = Map.of(
            Counted.TENANT_MAIL_GROUPS, "SELECT tenant_key, COUNT(*) FROM mail_group GROUP BY tenant_key",
            Counted.TENANT_USER_MAILBOXES,
            "SELECT tenant_key, COUNT(*) FROM user_mailbox WHERE status <> 'RECYCLED' GROUP BY tenant_key",
            Counted.TENANT_PUBLIC_MAILBOXES, "SELECT tenant_key, COUNT(*) FROM public_mailbox GROUP BY tenant_key",
            Counted.GROUP_MEMBERS, "SELECT mail_group_id, COUNT(*) FROM mail_group_member GROUP BY mail_group_id",
            Counted.GROUP_PERMISSION_MEMBERS,
            "SELECT mail_group_id, COUNT(*) FROM mail_group_permission_member GROUP BY mail_group_id",
            Counted.OWNER_ALIASES, "SELECT owner_id, COUNT(*) FROM address WHERE kind LIKE '%!_ALIAS' ESCAPE '!' GROUP BY owner_id",
            Counted.USER_PUBLIC_MAILBOXES, """
                    SELECT m.person_id, COUNT(*) FROM public_mailbox_member m
                    JOIN public_mailbox b ON b.id = m.public_mailbox_id WHERE b.status <> 'RECYCLED' GROUP BY m.person_id""");

    private CountedRows() {}

    /** Counted kind → scope → COUNT(*) of its rows. */
    static Map<Counted, Map<String, Long>> fromRows(Handle h) {
        assertThat(COUNTS.keySet()).as("a row count for every counted kind").containsExactlyInAnyOrder(Counted.values());
        Map<Counted, Map<String, Long>> out = new TreeMap<>();
        for (Counted counted : Counted.values()) {
            Map<String, Long> scopes = new TreeMap<>();
            h.createQuery(COUNTS.get(counted)).map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> scopes.put(e.getKey(), e.getValue()));
            out.put(counted, scopes);
        }
        return out;
    }

    /** Counted kind → scope → the counter's value; counters at zero are left out, like scopes without rows. */
    static Map<Counted, Map<String, Long>> fromCounters(Handle h) {
        Map<Counted, Map<String, Long>> out = new TreeMap<>();
        for (Counted counted : Counted.values()) out.put(counted, new TreeMap<>());
        h.createQuery("SELECT counted, scope_id, value FROM usage_counter WHERE value <> 0")
                .map((rs, c) -> new Object[] {Counted.valueOf(rs.getString(1)), rs.getString(2), rs.getLong(3)})
                .forEach(row -> out.get((Counted) row[0]).put((String) row[1], (Long) row[2]));
        return out;
    }

    /** Every counter of every scope equals the COUNT(*) of its rows, and no scope with rows lacks a counter. */
    static void assertCountersMatchRows(DirectoryStore store, String when) {
        store.read(r -> {
            Handle h = ((SqlRecords) r).handle();
            assertThat(fromCounters(h)).as("usage counters vs COUNT(*) of their rows %s", when).isEqualTo(fromRows(h));
            return null;
        });
    }

    /** Per counted kind, the sum of its counters over every scope. */
    static Map<Counted, Long> totals(DirectoryStore store) {
        return store.read(r -> {
            Map<Counted, Long> out = new TreeMap<>();
            fromCounters(((SqlRecords) r).handle()).forEach((counted, scopes) ->
                    out.put(counted, scopes.values().stream().mapToLong(Long::longValue).sum()));
            return out;
        });
    }

    /** The number of rows of one table that match {@code where}, counted directly. */
    static long rows(DirectoryStore store, String table, String where, Object... args) {
        return store.read(r -> {
            var q = ((SqlRecords) r).handle().createQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where);
            for (int i = 0; i < args.length; i++) q.bind(i, args[i]);
            return q.mapTo(Long.class).one();
        });
    }
}
