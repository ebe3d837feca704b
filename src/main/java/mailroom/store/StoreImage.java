package mailroom.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mailroom.directory.DirectoryStore;

/**
 * Every row of the directory's data tables as one transaction read them, to write back whole
 * ({@link DirectoryStore#capture}, {@link DirectoryStore#replace}). The tables are found in the database
 * itself, so a table a later migration adds is in every image without a line here; only what is not the
 * directory's data is left out ({@link #KEPT}), and search indexes are rebuilt by the triggers of the rows.
 */
final class StoreImage implements DirectoryStore.Image {
    /**
     * Never captured nor replaced: the schema's history, the operators' own credentials (a reset must not lock
     * out whoever asked for it), the token-signing key (issued tokens stay valid), the journal's counter (a
     * sequence number is never given twice, so a change-feed consumer's position keeps its meaning), and the
     * mark of a disposable store.
     */
    static final Set<String> KEPT = Set.of("flyway_schema_history", "operator_token", "signing_secret",
            "change_log_counter", "disposable_store");

    private static final String TENANTS = "tenant";

    /** One table's rows; {@code types} are the JDBC types of the columns, for writing SQL NULLs. */
    private record Table(String name, List<String> columns, int[] types, List<Object[]> rows) {}

    /** Parents before children (foreign keys), so that rows are inserted in this order and deleted in reverse. */
    private final List<Table> tables;
    private final DirectoryStore.Contents contents;

    private StoreImage(List<Table> tables) {
        this.tables = List.copyOf(tables);
        this.contents = new DirectoryStore.Contents(
                tables.stream().filter(t -> t.name().equals(TENANTS)).mapToInt(t -> t.rows().size()).sum(),
                tables.stream().mapToLong(t -> t.rows().size()).sum());
    }

    /** An image with no rows: replacing a store by it empties the store's data. */
    static StoreImage empty() {
        return new StoreImage(List.of());
    }

    @Override
    public DirectoryStore.Contents contents() {
        return contents;
    }

    /** What the data tables hold, counted on the connection (what {@link #capture} would copy). */
    static DirectoryStore.Contents count(Connection c, List<String> dataTables) throws SQLException {
        int tenants = 0;
        long rows = 0;
        try (Statement s = c.createStatement()) {
            for (String name : dataTables) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + name)) {
                    rs.next();
                    rows += rs.getLong(1);
                    if (name.equals(TENANTS)) tenants = rs.getInt(1);
                }
            }
        }
        return new DirectoryStore.Contents(tenants, rows);
    }

    /** Reads every row of the data tables (as {@link #dataTables} answered them) on the connection's current transaction. */
    static StoreImage capture(Connection c, List<String> dataTables) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String name : dataTables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + name)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int n = meta.getColumnCount();
                    List<String> columns = new ArrayList<>(n);
                    int[] types = new int[n];
                    for (int i = 1; i <= n; i++) {
                        columns.add(meta.getColumnName(i));
                        types[i - 1] = meta.getColumnType(i);
                    }
                    List<Object[]> rows = new ArrayList<>();
                    while (rs.next()) {
                        Object[] row = new Object[n];
                        for (int i = 1; i <= n; i++) row[i - 1] = rs.getObject(i);
                        rows.add(row);
                    }
                    tables.add(new Table(name, columns, types, rows));
                }
            }
        }
        return new StoreImage(tables);
    }

    /**
     * On the connection's current transaction: deletes every row of every data table (children first) and
     * inserts the image's (parents first). A table of the image the database does not have is refused.
     */
    void writeTo(Connection c, List<String> present) throws SQLException {
        for (Table t : tables) {
            if (!present.contains(t.name())) throw new IllegalStateException("the store has no table " + t.name() + " of the image");
        }
        try (Statement s = c.createStatement()) {
            for (int i = present.size() - 1; i >= 0; i--) s.executeUpdate("DELETE FROM " + present.get(i));
        }
        Map<String, Table> byName = new HashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        for (String name : present) {
            Table t = byName.get(name);
            if (t == null || t.rows().isEmpty()) continue;
            String sql = "INSERT INTO " + name + " (" + String.join(", ", t.columns()) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(t.columns().size(), "?")) + ")";
            try (PreparedStatement insert = c.prepareStatement(sql)) {
                for (Object[] row : t.rows()) {
                    for (int i = 0; i < row.length; i++) {
                        if (row[i] == null) insert.setNull(i + 1, t.types()[i]);
                        else insert.setObject(i + 1, row[i]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /**
     * The directory's data tables of the database, parents before the tables whose foreign keys name them. The
     * schema does not change while a store is open, so a store asks once (the drivers' key metadata is slow).
     */
    static List<String> dataTables(Connection c, Dialect dialect) throws SQLException {
        List<String> names = new ArrayList<>();
        // SQLite: ordinary tables only (not an FTS index's virtual and shadow tables, nor its own sqlite_*).
        String list = dialect == Dialect.SQLITE
                ? "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(list)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!KEPT.contains(name)) names.add(name);
            }
        }
        names.sort(null);
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        DatabaseMetaData meta = c.getMetaData();
        String schema = dialect == Dialect.SQLITE ? null : c.getSchema();
        for (String name : names) {
            Set<String> of = new LinkedHashSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, schema, name)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME");
                    if (!parent.equalsIgnoreCase(name) && names.contains(parent)) of.add(parent);
                }
            }
            parents.put(name, of);
        }
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (ordered.size() < names.size()) {
            boolean progress = false;
            for (String name : names) {
                if (!placed.contains(name) && placed.containsAll(parents.get(name))) {
                    ordered.add(name);
                    placed.add(name);
                    progress = true;
                }
            }
            if (!progress) throw new IllegalStateException("the foreign keys of the tables form a cycle: " + parents);
        }
        return ordered;
    }
}
