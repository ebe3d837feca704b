package mailroom.store;

import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Many rows inserted by few statements: {@code INSERT … VALUES (…), (…), …} of up to {@link #ROWS_PER_STATEMENT}
 * rows, bound by position through plain JDBC. A JDBC batch runs one statement per row, and on SQLite every
 * statement that writes the mailbox search index (FTS5, ADR 0008) makes it flush what it holds in memory as a
 * segment of its own: a thousand mailboxes cost a thousand tiny segments and their merging, five times the work
 * of one statement. Values are bound as {@link PlainStatement} binds them.
 */
final class PlainBatch {
    /** Rows per statement: 12 columns × 500 stays far below both databases' limits on bound values. */
    static final int ROWS_PER_STATEMENT = 500;

    private PlainBatch() {}

    /**
     * Inserts {@code rows} in their order (so generated keys follow it) into {@code table}'s {@code columns},
     * each row given as its values in the order of the columns.
     */
    static <T> void insert(Handle h, String table, List<String> columns, List<T> rows, Function<T, Object[]> values) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            Object[] bound = new Object[chunk.size() * columns.size()];
            int next = 0;
            for (T row : chunk) {
                Object[] v = values.apply(row);
                if (v.length != columns.size()) {
                    throw new IllegalArgumentException(v.length + " values for the " + columns.size() + " columns of " + table);
                }
                System.arraycopy(v, 0, bound, next, v.length);
                next += v.length;
            }
            PlainStatement.updateOnce(h, sql(table, columns, chunk.size()), bound);
        }
    }

    private static String sql(String table, List<String> columns, int rows) {
        String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(String.join(", ", columns))
                .append(") VALUES ");
        for (int i = 0; i < rows; i++) sql.append(i == 0 ? "" : ", ").append(row);
        return sql.toString();
    }
}
