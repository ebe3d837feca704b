package mailroom.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * The SQLite store as one file: a consistent backup while a server runs and writes ({@code VACUUM INTO} on a
 * connection of its own: one read transaction, so the copy is the store as of one commit, and writers go on
 * meanwhile), and a restore into a data directory no server holds.
 */
public final class SqliteFiles {
    /** The store's file inside the data directory. */
    public static final String DATABASE = "mailroom.db";
    /** Where a restore keeps the store it replaced. */
    public static final String BEFORE_RESTORE = DATABASE + ".before-restore";
    /** Flyway's table; a Mailroom database has it from its first start. */
    static final String HISTORY = "flyway_schema_history";
    private static final List<String> SIDE_FILES = List.of("-wal", "-shm", "-journal");

    private SqliteFiles() {}

    /** A refusal or failure in one line (what and where). Nothing in the data directory was changed. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a database file holds, as backup and restore report it. */
    public record Contents(long bytes, long tenants, long addresses) {}

    /** A restore's outcome: what the store now holds, and whether the store it replaced was kept (as {@link #BEFORE_RESTORE}). */
    public record Restored(Contents contents, boolean keptPrevious) {}

    /**
     * Copies the store of {@code dataDir} to {@code target}, safely while a server runs: written to a temporary
     * file beside the target, checked, then moved into place. An existing target is replaced only with {@code force}.
     */
    public static Contents backup(Path dataDir, Path target, boolean force) throws Refused {
        Path db = dataDir.resolve(DATABASE);
        if (!Files.isRegularFile(db)) throw new Refused("no store at " + db + (Files.exists(db) ? " (not a file)" : ""));
        if (Files.isDirectory(target)) throw new Refused(target + " is a directory; name the backup file");
        if (Files.exists(target) && !force) throw new Refused(target + " already exists (--force replaces it)");
        Path folder = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) throw new Refused("cannot write " + target + ": no directory " + folder);
        Path temporary = folder.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(temporary);
            try (Connection source = connect(db, false); PreparedStatement vacuum = source.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, temporary.toString());
                vacuum.execute();
            } catch (SQLException e) {
                throw new Refused("cannot back up " + db + ": " + reason(e), e);
            }
            Contents contents = inspect(temporary, "the copy of " + db);
            sync(temporary);
            move(temporary, target);
            return contents;
        } catch (IOException e) {
            throw new Refused("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Replaces the store of {@code dataDir} by the backup {@code source}, which must be a sound Mailroom database.
     * Refused while a server holds the data directory; the store it replaces is kept as {@link #BEFORE_RESTORE}
     * (with its -wal/-shm files, if a crash left any), and no stale -wal/-shm file stays beside the new one.
     */
    public static Restored restore(Path source, Path dataDir) throws Refused {
        if (!Files.isRegularFile(source)) throw new Refused("cannot read " + source + ": " + (Files.exists(source) ? "not a file" : "no such file"));
        Contents contents = inspect(source, source.toString());
        Path db = dataDir.resolve(DATABASE);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(db) && Files.isSameFile(db, source)) throw new Refused(source + " is the store itself");
        } catch (IOException e) {
            throw new Refused("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        StoreLock lock;
        try {
            lock = StoreLock.acquire(dataDir);
        } catch (StoreLock.Held e) {
            throw new Refused(db + " is in use by a running Mailroom server (" + e.holder() + "); stop it first", e);
        } catch (RuntimeException e) {
            throw new Refused("cannot lock " + dataDir + ": " + e.getMessage(), e);
        }
        Path incoming = dataDir.resolve(DATABASE + ".restoring");
        try (lock) {
            deleteQuietly(incoming);
            try (Connection from = connect(source, true); PreparedStatement vacuum = from.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, incoming.toString());
                vacuum.execute();
            } catch (SQLException e) {
                throw new Refused("cannot read " + source + ": " + reason(e), e);
            }
            // What is reported is what was copied (the source is read twice; a quiet backup file reads the same both times).
            contents = inspect(incoming, "the copy of " + source);
            sync(incoming);
            boolean kept = Files.exists(db);
            if (kept) {
                checkpoint(db);
                Path before = dataDir.resolve(BEFORE_RESTORE);
                move(db, before);
                for (String side : SIDE_FILES) {
                    Path stale = dataDir.resolve(DATABASE + side);
                    // A crash's -wal holds commits of the replaced store: it goes with it, never beside the new one.
                    if (Files.exists(stale)) {
                        move(stale, dataDir.resolve(BEFORE_RESTORE + side));
                    } else {
                        Files.deleteIfExists(dataDir.resolve(BEFORE_RESTORE + side));
                    }
                }
            }
            for (String side : SIDE_FILES) Files.deleteIfExists(dataDir.resolve(DATABASE + side));
            move(incoming, db);
            return new Restored(new Contents(Files.size(db), contents.tenants(), contents.addresses()), kept);
        } catch (IOException e) {
            throw new Refused("cannot restore into " + dataDir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(incoming);
        }
    }

    /**
     * Opens the file read-only and answers what it holds, or refuses it: not a database, damaged
     * ({@code PRAGMA integrity_check}), or not Mailroom's (no Flyway history, no tenant or address table).
     */
    public static Contents inspect(Path file, String what) throws Refused {
        try (Connection c = connect(file, true); Statement s = c.createStatement()) {
            List<String> integrity = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) integrity.add(rs.getString(1));
            }
            if (!integrity.equals(List.of("ok"))) {
                throw new Refused(what + " is damaged: integrity check found " + integrity.size() + " problem"
                        + (integrity.size() == 1 ? "" : "s") + ", the first: " + integrity.get(0));
            }
            for (String table : List.of(HISTORY, "tenant", "address")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
                    if (!rs.next() || rs.getLong(1) == 0) throw new Refused(what + " is not a Mailroom database: it has no " + table + " table");
                }
            }
            return new Contents(Files.size(file), count(s, "tenant"), count(s, "address"));
        } catch (SQLException e) {
            // A damaged page may stop the check itself: SQLite then answers "malformed" instead of a list.
            boolean corrupt = (e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_CORRUPT.code;
            throw new Refused(what + (corrupt ? " is damaged: " : " is not a Mailroom database: ") + reason(e), e);
        } catch (IOException e) {
            throw new Refused("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A connection of its own, outside the server's pools; reads wait for a busy writer rather than fail. */
    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(30_000);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Folds a stopped store's -wal into its file, so that the file alone is the whole store (best effort). */
    private static void checkpoint(Path db) {
        try (Connection c = connect(db, false); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            // a damaged store is kept as it is, with its side files
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        Path folder = to.toAbsolutePath().getParent();
        // The rename itself is durable once the directory is; not every system lets a directory be opened.
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // the rename stands; it may only be lost with a crash of the machine right now
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a left-over partial file is named as one and replaced by the next run
        }
    }

    /** The driver's message without its code prefix repeated, first line only. */
    private static String reason(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
