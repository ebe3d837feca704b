package mailroom.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One write statement run through plain JDBC, its values bound by position: for the few statements every create
 * runs on the SQLite writer's one thread, where Jdbi's set-up of a statement (a copy of its configuration, named
 * parameters, an argument factory looked up for each value's type) cost about as much as SQLite's own work. On
 * SQLite the statement is the connection's kept one ({@link SqliteStatementCache}); on PostgreSQL pgjdbc keeps its
 * prepared statements per connection itself. The values are the kinds the directory's rows hold: strings, whole
 * numbers, booleans and nulls.
 */
final class PlainStatement {
    private PlainStatement() {}

    /** Runs {@code sql} with {@code values} bound to its {@code ?} in order; answers the count of rows changed. */
    static int update(Handle h, String sql, Object... values) {
        Connection connection = h.getConnection();
        StatementBuilder builder = h.getStatementBuilder();
        try {
            if (builder instanceof SqliteStatementCache.Builder kept) {
                PreparedStatement s = kept.lend(connection, sql);
                try {
                    return run(s, values);
                } finally {
                    kept.close(connection, sql, s);
                }
            }
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                return run(s, values);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(sql + " failed", e, null);
        }
    }

    private static int run(PreparedStatement s, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) bind(s, i + 1, values[i]);
        return s.executeUpdate();
    }

    static void bind(PreparedStatement s, int index, Object value) throws SQLException {
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
