package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.Journal;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every audit search is a walk of one index of the journal, newest first, never a scan of the table nor a sort of
 * what it found: checked with each database's own query plan over a journal of 200,000 entries, most of them of one
 * big tenant and 500 of the small tenant searched.
 */
class JournalSearchPlanTest {
    private static final int ENTRIES = 200_000;
    private static final Instant SINCE = Instant.ofEpochMilli(150_000L * 1000);
    private static final Instant UNTIL = Instant.ofEpochMilli(160_000L * 1000);

    /** A store migrated to the current schema, then opened bare, with a large journal written straight into it. */
    private static Handle journal(Backend backend) throws Exception {
        String url;
        if (backend == Backend.SQLITE) {
            Path dir = Files.createTempDirectory("mailroom-plan");
            SqlStore.openSqlite(dir).close();
            url = "jdbc:sqlite:" + dir.resolve("mailroom.db");
        } else {
            url = TestServers.newPostgresDatabase();
            SqlStore.openPostgres(url).close();
        }
        Handle h = Jdbi.create(url).open();
        String numbers = backend == Backend.SQLITE
                ? "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + ENTRIES + ") SELECT x FROM g"
                : "SELECT x FROM generate_series(1, " + ENTRIES + ") AS g(x)";
        h.execute("INSERT INTO change_log (seq, changed_at, tenant_key, actor_kind, actor_id, request_id, object_kind, object_id,"
                + " object_address, op, before_state, after_state) SELECT x, x * 1000, CASE WHEN x % 400 = 7 THEN 't7' ELSE 'big' END, 'APP',"
                + " 'app' || (x % 13), NULL, 'MAIL_GROUP_MEMBER', 'm' || x, 'g' || (x % 17) || '@t.test', 'CREATE', NULL, '{}'"
                + " FROM (" + numbers + ") n");
        h.execute(backend == Backend.SQLITE ? "ANALYZE" : "ANALYZE change_log");
        return h;
    }

    private static String plan(Handle h, Backend backend, Journal.AuditQuery query, SqlJournalRecords.Window window) {
        SqlJournalRecords.Search search = SqlJournalRecords.search(query, window, query.limit() + 1);
        var q = h.createQuery((backend == Backend.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + search.sql());
        search.binds().forEach(q::bind);
        List<String> rows = q.map((rs, ctx) -> rs.getString(backend == Backend.SQLITE ? 4 : 1)).list();
        return String.join("\n", rows);
    }

    private static Journal.AuditQuery query(Caller.ActorKind actorKind, String actor, Change.ObjectKind objectKind, String object,
                                            String address, Instant since, Long below) {
        return new Journal.AuditQuery("t7", since, null, actorKind, actor, objectKind, object, address, null, below, 50);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachSearchWalksTheIndexOfItsFilterNewestFirst(Backend backend) throws Exception {
        try (Handle h = journal(backend)) {
            Map<String, String> plans = new java.util.LinkedHashMap<>();
            plans.put("change_log_tenant", plan(h, backend, query(null, null, null, null, null, null, null), null));
            plans.put("change_log_tenant ", plan(h, backend, query(null, null, null, null, null, null, 120_000L), null));
            plans.put("change_log_actor", plan(h, backend, query(Caller.ActorKind.APP, "app7", null, null, null, null, null), null));
            plans.put("change_log_actor ", plan(h, backend, query(null, "app7", null, null, null, null, 150_000L), null));
            plans.put("change_log_object", plan(h, backend, query(null, null, Change.ObjectKind.MAIL_GROUP_MEMBER, "m7", null, null, null), null));
            plans.put("change_log_address", plan(h, backend, query(null, null, null, null, "g7@t.test", null, null), null));
            plans.put("change_log_address ", plan(h, backend, query(null, null, Change.ObjectKind.MAIL_GROUP_MEMBER, null, "g7@t.test",
                    null, 190_000L), null));
            plans.put("change_log_tenant  ", plan(h, backend, query(null, null, null, null, null, SINCE, null),
                    new SqlJournalRecords.Window(150_007L, 199_607L)));
            plans.forEach((index, plan) -> {
                if (backend == Backend.SQLITE) {
                    assertThat(plan).as(index).containsPattern("SEARCH change_log USING (COVERING )?INDEX " + index.trim() + " ")
                            .doesNotContain("TEMP B-TREE").doesNotContain("SCAN change_log");
                } else if (index.equals("change_log_tenant  ")) {
                    // PostgreSQL may as well read a small window on the time index and sort what it found there.
                    assertThat(plan).as(index).containsAnyOf("Index Scan Backward using change_log_tenant on change_log",
                            "Index Scan using change_log_time on change_log").doesNotContain("Seq Scan");
                } else {
                    assertThat(plan).as(index).contains("Index Scan Backward using " + index.trim() + " on change_log")
                            .doesNotContain("Seq Scan").doesNotContain("Sort");
                }
            });

            // Where a time window lies is read on the time index, from the window's entries only.
            for (boolean until : new boolean[]{false, true}) {
                var window = h.createQuery((backend == Backend.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ")
                        + SqlJournalRecords.windowSql(backend == Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL, until))
                        .bind("tenant", "t7").bind("since", SINCE.toEpochMilli());
                if (until) window.bind("until", UNTIL.toEpochMilli());
                String plan = String.join("\n", window.map((rs, ctx) -> rs.getString(backend == Backend.SQLITE ? 4 : 1)).list());
                if (backend == Backend.SQLITE) {
                    assertThat(plan).as("window").contains("SEARCH change_log USING COVERING INDEX change_log_time (tenant_key=? AND changed_at>?");
                } else {
                    assertThat(plan).as("window").containsPattern("Index Only Scan using change_log_time on change_log")
                            .doesNotContain("Seq Scan");
                }
            }
        }
    }
}
