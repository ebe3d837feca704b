package mailroom.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One write statement run through plain JDBC, its values bound by position: for the few statements every create
 * runs on the SQLite writer's one thread, where Jdbi's set-up of a statement (a copy of its configuration, named
 * parameters, an argument factory looked up for each value's type) cost about as much as SQLite's own work. On
 * SQLite the statement is the connection's kept one ({@link SqliteStatementCache}); on PostgreSQL pgjdbc keeps its
 * prepared statements per connection itself. {@link PlainBatch}'s multi-row inserts run here too, each prepared once.
 * The values are the kinds the directory's rows hold: strings, whole numbers, booleans and nulls.
 */
final class PlainStatement {
    private PlainStatement() {}

    /** Runs {@code sql} with {@code values} bound to its {@code ?} in order; answers the count of rows changed. */
    static int update(Handle h, String sql, Object... values) {
        Connection connection = h.getConnection();
        try {
            if (h.getStatementBuilder() instanceof SqliteStatementCache.Builder kept) {
                PreparedStatement s = kept.lend(connection, sql);
                try {
                    return run(s, values);
                } finally {
                    kept.close(connection, sql, s);
                }
            }
            return updateOnce(connection, sql, values);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * As {@link #update}, on a statement prepared for this run alone: for SQL made for one use (a multi-row insert of
     * however many rows a request had), which kept would only crowd out the statements that run again.
     */
    static int updateOnce(Handle h, String sql, Object... values) {
        try {
            return updateOnce(h.getConnection(), sql, values);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private static int updateOnce(Connection connection, String sql, Object[] values) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            return run(s, values);
        }
    }

    /**
     * Jdbi's own exception, as a statement run through Jdbi fails with, naming the statement by its start: for every
     * statement of this package run through plain JDBC.
     */
    static UnableToExecuteStatementException failed(String sql, SQLException e) {
        String start = sql.lines().findFirst().orElse("");
        if (start.length() > 80) start = start.substring(0, 80) + "…";
        return new UnableToExecuteStatementException(start + " failed", e, null);
    }

    private static int run(PreparedStatement s, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) bind(s, i + 1, values[i]);
        return s.executeUpdate();
    }

    private static void bind(PreparedStatement s, int index, Object value) throws SQLException {
        switch (value) {
            case null -> s.setNull(index, Types.NULL);
            case String v -> s.setString(index, v);
            case Long v -> s.setLong(index, v);
            case Integer v -> s.setInt(index, v);
            case Boolean v -> s.setBoolean(index, v);
            default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
        }
    }
}
