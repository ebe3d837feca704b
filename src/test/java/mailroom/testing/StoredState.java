package mailroom.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import mailroom.server.MailroomServer;

/**
 * Every row of every table of a server's database as text, read over a connection of its own (Flyway's
 * history left out), so that "nothing changed" can be checked as two equal strings: not what an API shows,
 * what is stored.
 */
public final class StoredState {
    private StoredState() {}

    public static String of(MailroomServer.Options options) {
        String url = options.databaseUrl() != null ? options.databaseUrl()
                : "jdbc:sqlite:" + options.dataDir().resolve("mailroom.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            String list = options.databaseUrl() != null
                    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
            try (ResultSet rs = s.executeQuery(list)) {
                while (rs.next()) if (!rs.getString(1).equals("flyway_schema_history")) tables.add(rs.getString(1));
            }
            tables.sort(null);
            StringBuilder out = new StringBuilder();
            for (String table : tables) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.append(meta.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                out.append("# ").append(table).append(" (").append(rows.size()).append(" rows)\n");
                rows.forEach(r -> out.append(r).append('\n'));
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stored state of " + url, e);
        }
    }
}
