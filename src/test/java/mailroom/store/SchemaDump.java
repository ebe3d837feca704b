package mailroom.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic, readable text dump of Mailroom's own schema (Flyway's history table left out), so
 * that two databases can be compared with a plain string comparison and a golden file diff reads well.
 */
final class SchemaDump {
    private SchemaDump() {}

    /** SQLite: every table, index, view and trigger as SQLite stores its DDL, by type and name. */
    static String sqlite(Path dataDir) {
        String url = "jdbc:sqlite:" + dataDir.resolve("mailroom.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT type, name, tbl_name, sql FROM sqlite_master
                     WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> 'flyway_schema_history'
                     ORDER BY type, name""")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString("type")).append(' ').append(rs.getString("name"))
                        .append(" on ").append(rs.getString("tbl_name")).append('\n')
                        .append(indent(rs.getString("sql"))).append("\n\n");
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot dump SQLite schema of " + url, e);
        }
    }

    /**
     * PostgreSQL, schema public: the extensions the migrations create (plpgsql is always there), then per
     * table its columns (in order), constraints and indexes (by name).
     */
    static String postgres(String jdbcUrl) {
        Map<String, List<String>> tables = new TreeMap<>();
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                    WHERE e.extname <> 'plpgsql' ORDER BY e.extname""")) {
                while (rs.next()) {
                    out.append("extension ").append(rs.getString(1)).append(" in ").append(rs.getString(2)).append("\n\n");
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity,
                           identity_generation
                    FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'
                    ORDER BY table_name, ordinal_position""")) {
                while (rs.next()) {
                    String line = "  column " + rs.getString("column_name") + " " + rs.getString("data_type")
                            + ("NO".equals(rs.getString("is_nullable")) ? " not null" : "")
                            + (rs.getString("column_default") != null ? " default " + rs.getString("column_default") : "")
                            + ("YES".equals(rs.getString("is_identity"))
                                    ? " generated " + rs.getString("identity_generation").toLowerCase(java.util.Locale.ROOT) + " as identity" : "");
                    tables.computeIfAbsent(rs.getString("table_name"), t -> new ArrayList<>()).add(line);
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT cl.relname AS table_name, co.conname, pg_get_constraintdef(co.oid) AS def
                    FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
                    WHERE cl.relnamespace = 'public'::regnamespace AND cl.relname <> 'flyway_schema_history'
                    ORDER BY cl.relname, co.conname""")) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString("table_name"), t -> new ArrayList<>())
                            .add("  constraint " + rs.getString("conname") + " " + rs.getString("def"));
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT tablename, indexname, indexdef FROM pg_indexes
                    WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'
                    ORDER BY tablename, indexname""")) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString("tablename"), t -> new ArrayList<>())
                            .add("  index " + rs.getString("indexname") + " " + rs.getString("indexdef"));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot dump PostgreSQL schema of " + jdbcUrl, e);
        }
        tables.forEach((table, lines) -> {
            out.append("table ").append(table).append('\n');
            lines.forEach(line -> out.append(line).append('\n'));
            out.append('\n');
        });
        return out.toString();
    }

    /** The rows of Flyway's schema history that say what ran: rank, version, script, checksum, success. */
    static List<String> history(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT installed_rank, version, script, checksum, success FROM flyway_schema_history
                ORDER BY installed_rank""")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getObject(4) + " "
                        + rs.getBoolean(5));
            }
        }
        return rows;
    }

    static List<String> sqliteHistory(Path dataDir) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("mailroom.db").toAbsolutePath())) {
            return history(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> postgresHistory(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            return history(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String indent(String sql) {
        return sql == null ? "    (no sql)" : ("    " + sql.strip()).replace("\n", "\n    ");
    }
}
