package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite's statements kept per pooled connection: reused across the pool's check-outs (by Jdbi and by
 * {@link PlainStatement} alike), never lent twice at once, bounded, and given back without a read snapshot or a
 * bound value.
 */
class SqliteStatementCacheTest {
    private static final String COUNT = "SELECT COUNT(*) FROM item WHERE n > :min";

    @TempDir
    Path dir;

    private HikariDataSource pool;
    private HikariDataSource other;
    private SqliteStatementCache cache;
    private Jdbi jdbi;

    @BeforeEach
    void open() {
        pool = pool("cache-test", 1);
        other = pool("cache-test-other", 1);
        cache = new SqliteStatementCache();
        jdbi = Jdbi.create(pool);
        jdbi.setStatementBuilderFactory(cache);
        Jdbi.create(other).useHandle(h -> {
            h.execute("CREATE TABLE item (n INTEGER PRIMARY KEY)");
            for (int i = 1; i <= 5; i++) h.execute("INSERT INTO item (n) VALUES (?)", i);
        });
    }

    @AfterEach
    void close() {
        pool.close();
        other.close();
    }

    private HikariDataSource pool(String name, int size) {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("cache.db"));
        sqlite.setJournalMode("WAL");
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(sqlite);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private int countAbove(int min) {
        return jdbi.withHandle(h -> count(h, min));
    }

    private int count(Handle h, int min) {
        return h.createQuery(COUNT).bind("min", min).mapTo(Integer.class).one();
    }

    @Test
    void aStatementRunAgainOnAnotherCheckOutOfTheConnectionIsNotPreparedAgain() {
        assertThat(countAbove(0)).isEqualTo(5);
        long afterFirst = cache.prepared();
        List<Integer> answers = new ArrayList<>();
        for (int min = 1; min <= 4; min++) {
            answers.add(countAbove(min));
        }
        assertThat(answers).containsExactly(4, 3, 2, 1);
        assertThat(cache.prepared()).isEqualTo(afterFirst);
    }

    @Test
    void theSameStatementAskedForWhileItIsInUseGetsOneOfItsOwnAndBothAnswersAreRight() {
        List<String> pairs = jdbi.withHandle(h -> {
            List<String> out = new ArrayList<>();
            try (ResultIterator<Integer> outer = h.createQuery("SELECT n FROM item WHERE n > :min ORDER BY n")
                    .bind("min", 2).mapTo(Integer.class).iterator()) {
                while (outer.hasNext()) {
                    int n = outer.next();
                    List<Integer> inner = h.createQuery("SELECT n FROM item WHERE n > :min ORDER BY n")
                            .bind("min", n).mapTo(Integer.class).list();
                    out.add(n + ":" + inner);
                }
            }
            return out;
        });
        assertThat(pairs).containsExactly("3:[4, 5]", "4:[5]", "5:[]");
        // the kept statement, and one for each nested use while it was lent out: JDBI reads a row ahead, so the
        // outer statement was given back once its last row was read, and the last nested use had it again
        assertThat(cache.prepared()).isEqualTo(3);
    }

    @Test
    void aStatementGivenBackHalfReadHoldsNoSnapshotSoTheNextReadSeesLaterWrites() {
        jdbi.useHandle(h -> {
            try (ResultIterator<Integer> rows = h.createQuery("SELECT n FROM item ORDER BY n").mapTo(Integer.class).iterator()) {
                assertThat(rows.next()).isEqualTo(1);
            }
        });
        Jdbi.create(other).useHandle(h -> h.execute("INSERT INTO item (n) VALUES (6)"));
        List<Integer> all = jdbi.withHandle(h -> h.createQuery("SELECT n FROM item ORDER BY n").mapTo(Integer.class).list());
        assertThat(all).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(countAbove(0)).isEqualTo(6);
    }

    @Test
    void atMostTheBoundIsKeptPerConnectionTheLeastRecentlyUsedGoingFirst() {
        jdbi.useHandle(h -> {
            count(h, 0);
            for (int i = 0; i < SqliteStatementCache.PER_CONNECTION; i++) {
                h.createQuery("SELECT " + i + " FROM item LIMIT 1").mapTo(Integer.class).one();
            }
        });
        long prepared = cache.prepared();
        assertThat(prepared).isEqualTo(SqliteStatementCache.PER_CONNECTION + 1L);
        // the most recent statement is still kept; the first one was closed to make room
        jdbi.useHandle(h -> h.createQuery("SELECT " + (SqliteStatementCache.PER_CONNECTION - 1) + " FROM item LIMIT 1")
                .mapTo(Integer.class).one());
        assertThat(cache.prepared()).isEqualTo(prepared);
        assertThat(countAbove(0)).isEqualTo(5);
        assertThat(cache.prepared()).isEqualTo(prepared + 1);
    }

    @Test
    void aPlainStatementRunsTheConnectionsKeptStatementWithItsOwnValuesEachTime() {
        String insert = "INSERT INTO item (n) VALUES (?) ON CONFLICT DO NOTHING";
        List<Integer> changed = jdbi.withHandle(h -> List.of(PlainStatement.update(h, insert, 7),
                PlainStatement.update(h, insert, 7), PlainStatement.update(h, insert, 8L)));
        long afterOneHandle = cache.prepared();
        int again = jdbi.withHandle(h -> PlainStatement.update(h, insert, 9));
        int nulls = jdbi.withHandle(h -> PlainStatement.update(h, "UPDATE item SET n = ? WHERE n = ? AND ? IS NULL", 10, 9, null));

        assertThat(changed).containsExactly(1, 0, 1); // the second 7 conflicts: its value was bound, not the first's kept
        assertThat(afterOneHandle).isEqualTo(1);
        assertThat(again).isEqualTo(1);
        assertThat(cache.prepared()).isEqualTo(2); // the insert prepared once for three handles; the update once
        assertThat(nulls).isEqualTo(1);
        List<Integer> all = jdbi.withHandle(h -> h.createQuery("SELECT n FROM item ORDER BY n").mapTo(Integer.class).list());
        assertThat(all).containsExactly(1, 2, 3, 4, 5, 7, 8, 10);
    }
}
