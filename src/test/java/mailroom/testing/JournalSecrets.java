package mailroom.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * Finds secrets in a database's change journal: every format Mailroom issues (operator tokens {@code mr_op_},
 * service-account tokens {@code hbx_sa_}, webhook secrets {@code whsec_}, app secrets: 32 random base64url
 * characters), the test seeds' own secrets, the forms they are kept in (PBKDF2 {@code pbkdf2$…}, SHA-256 hex), any
 * value the database keeps in a column named for a secret or a hash, and any state key naming one. The databases
 * the test fixtures make are registered here, and {@link JournalSecretScan} scans them when their test ends.
 */
public final class JournalSecrets {
    /** One database to scan: a SQLite data directory or a PostgreSQL URL. */
    public record Database(Path sqliteDir, String postgresUrl) {
        @Override
        public String toString() {
            return sqliteDir != null ? sqliteDir.resolve("mailroom.db").toString() : postgresUrl;
        }
    }

    private static final Pattern ISSUED = Pattern.compile(
            "mr_op_[A-Za-z0-9_-]{8,}|hbx_sa_[A-Za-z0-9_-]+|whsec_[A-Za-z0-9+/=_-]+|pbkdf2\\$\\d+\\$|(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])");
    /** Apps.newSecret(): 24 random bytes, base64url, 32 characters, which in practice mix cases and digits. */
    private static final Pattern APP_SECRET = Pattern.compile(
            "(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]{0,31}[A-Z])(?=[A-Za-z0-9_-]{0,31}[a-z])(?=[A-Za-z0-9_-]{0,31}[0-9])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|hash|passw|private_key).*|(?i)(.*_)?token");
    /** The plaintexts the test seeds hand out (contract.yaml, the demo seed). */
    private static final Set<String> SEEDED = Set.of("secret-full", "secret-readonly", "secret-noscope", "secret-nogeo", "secret-globex",
            "secret-tiny", "secret-bench", "demo-secret");

    private static final List<List<Database>> FRAMES = new ArrayList<>();
    private static final List<Database> OUTSIDE = new ArrayList<>();

    private JournalSecrets() {}

    /** Scans the SQLite store in this data directory when the test (or test class) making it ends. */
    public static synchronized void watch(Path sqliteDir) {
        add(new Database(sqliteDir.toAbsolutePath().normalize(), null));
    }

    /** Scans this PostgreSQL database when the test (or test class) making it ends. */
    public static synchronized void watch(String postgresUrl) {
        add(new Database(null, postgresUrl));
    }

    private static void add(Database db) {
        List<Database> frame = FRAMES.isEmpty() ? OUTSIDE : FRAMES.getLast();
        if (!frame.contains(db)) frame.add(db);
    }

    /** A test or test class begins: what it registers is scanned when it ends. */
    static synchronized void begin() {
        FRAMES.add(new ArrayList<>());
    }

    /** It ends: the databases it (and anything before the first test) registered, to scan. */
    static synchronized List<Database> end() {
        List<Database> out = new ArrayList<>(OUTSIDE);
        OUTSIDE.clear();
        if (!FRAMES.isEmpty()) out.addAll(FRAMES.removeLast());
        return out;
    }

    /** What is wrong with the database's journal: one line per finding; empty when it keeps no secret. */
    public static List<String> scan(Database db) {
        if (db.sqliteDir() != null && !Files.exists(db.sqliteDir().resolve("mailroom.db"))) return List.of();
        try (Connection c = connect(db)) {
            if (!hasJournal(c)) return List.of();
            Set<String> kept = keptSecrets(c, db.postgresUrl() != null ? "public" : null);
            List<String> found = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT seq, actor_id, request_id, object_id, before_state, after_state FROM change_log ORDER BY seq")) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    for (String column : List.of("actor_id", "request_id", "object_id", "before_state", "after_state")) {
                        String text = rs.getString(column);
                        if (text == null) continue;
                        check(db, seq, column, text, kept, found);
                        if (column.endsWith("_state")) keys(db, seq, column, FeishuHttp.JSON.readTree(text), found);
                    }
                }
            }
            return found;
        } catch (SQLException | IOException e) {
            return List.of(db + ": cannot read the journal: " + e);
        }
    }

    private static void check(Database db, long seq, String column, String text, Set<String> kept, List<String> found) {
        for (Pattern p : List.of(ISSUED, APP_SECRET)) {
            Matcher m = p.matcher(text);
            while (m.find()) found.add(db + ": entry " + seq + " " + column + " holds a secret's form: " + m.group());
        }
        for (String secret : SEEDED) {
            if (text.contains(secret)) found.add(db + ": entry " + seq + " " + column + " holds a seeded secret: " + secret);
        }
        for (String secret : kept) {
            if (text.contains(secret)) found.add(db + ": entry " + seq + " " + column + " holds a value kept as a secret: " + secret);
        }
    }

    private static void keys(Database db, long seq, String column, JsonNode node, List<String> found) {
        if (node.isObject()) {
            // In name order, not the stored order: what the scan reports must not depend on how a map was iterated.
            java.util.SortedSet<String> names = new java.util.TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (SECRET_KEY.matcher(name).matches()) {
                    found.add(db + ": entry " + seq + " " + column + " has a key naming a secret: " + name);
                }
                keys(db, seq, column, node.get(name), found);
            }
        } else if (node.isArray()) {
            node.forEach(n -> keys(db, seq, column, n, found));
        }
    }

    private static Connection connect(Database db) throws SQLException {
        if (db.postgresUrl() != null) return DriverManager.getConnection(db.postgresUrl());
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + db.sqliteDir().resolve("mailroom.db"));
    }

    private static boolean hasJournal(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, "change_log", null)) {
            return rs.next();
        }
    }

    /** Every value of a column named for a secret or a hash, in every table but the journal (at least 8 characters). */
    private static Set<String> keptSecrets(Connection c, String schema) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String[]> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, schema, "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME");
                String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                if (table.equals("change_log") || table.startsWith("flyway")) continue;
                if (column.contains("secret") || column.contains("hash")) columns.add(new String[]{table, column});
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String[] tc : columns) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + tc[1] + " FROM " + tc[0])) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    if (v != null && v.length() >= 8) out.add(v);
                }
            }
        }
        return out;
    }
}
