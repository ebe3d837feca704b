package mailroom.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Keeps SQLite's prepared statements per connection, so that a statement run again is not parsed and planned
 * again: SQLite's JDBC driver has no statement cache of its own, and on a read by address preparing cost about as
 * much as running. Statements are prepared on the pool's physical connection (the pool closes what is prepared
 * through its proxy when the connection goes back), at most {@link #PER_CONNECTION} per connection, the least
 * recently used closed first. A statement is lent to one use at a time: the same SQL asked again while its
 * statement is still in use (a nested query) gets a statement of its own, closed after that use. A statement given
 * back is reset and its parameters cleared, so it holds no read snapshot and no value of the use before.
 */
final class SqliteStatementCache implements StatementBuilderFactory {
    /** Statements kept per connection: the directory's hot paths use a few dozen different ones. */
    static final int PER_CONNECTION = 128;

    /** One connection's statements; used by the connection's holder only, as the pool lends it to one at a time. */
    private static final class Statements extends LinkedHashMap<String, PreparedStatement> {
        private final Set<PreparedStatement> lent = Collections.newSetFromMap(new IdentityHashMap<>());

        Statements() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= PER_CONNECTION || lent.contains(eldest.getValue())) return false;
            closeQuietly(eldest.getValue());
            return true;
        }
    }

    /** Keyed by the physical connection; an entry goes when its connection is closed and collected. */
    private final Map<SQLiteConnection, Statements> byConnection = new WeakHashMap<>();
    private final AtomicLong prepared = new AtomicLong();

    @Override
    public StatementBuilder createStatementBuilder(Connection connection) {
        return new Builder();
    }

    /** Statements prepared so far (cache misses), for tests. */
    long prepared() {
        return prepared.get();
    }

    private synchronized Statements statementsOf(SQLiteConnection physical) {
        return byConnection.computeIfAbsent(physical, c -> new Statements());
    }

    /** A handle's statements: Jdbi's, and those {@link PlainStatement} runs on the same connection. */
    final class Builder extends DefaultStatementBuilder {
        private SQLiteConnection physical;
        private Statements statements;

        @Override
        public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
            // Statements asked for generated keys or updatable results are prepared differently: not kept.
            if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) return super.create(conn, sql, ctx);
            return lend(conn, sql);
        }

        /** The connection's kept statement of {@code sql}, lent until {@link #close}; if that one is lent, a new one. */
        PreparedStatement lend(Connection conn, String sql) throws SQLException {
            Statements kept = statements(conn);
            PreparedStatement statement = kept.get(sql);
            if (statement == null || statement.isClosed()) {
                statement = physical.prepareStatement(sql);
                prepared.incrementAndGet();
                kept.put(sql, statement);
            } else if (kept.lent.contains(statement)) {
                prepared.incrementAndGet();
                return physical.prepareStatement(sql);
            }
            kept.lent.add(statement);
            return statement;
        }

        @Override
        public void close(Connection conn, String sql, Statement statement) throws SQLException {
            Statements kept = statements;
            if (kept == null || !kept.lent.remove(statement)) {
                super.close(conn, sql, statement);
                return;
            }
            if (statement.isClosed()) return;
            try {
                ((CoreStatement) statement).pointer.safeRunInt(DB::reset);
                ((PreparedStatement) statement).clearParameters();
            } catch (SQLException e) {
                kept.remove(sql, statement);
                closeQuietly(statement);
            }
        }

        private Statements statements(Connection conn) throws SQLException {
            if (statements == null) {
                physical = conn.unwrap(SQLiteConnection.class);
                statements = statementsOf(physical);
            }
            return statements;
        }
    }

    private static void closeQuietly(Statement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // closing a statement of SQLite only finalizes it; nothing to recover
        }
    }
}
