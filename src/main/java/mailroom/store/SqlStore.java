package mailroom.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import javax.sql.DataSource;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryStore;
import mailroom.directory.Records;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The directory store over JDBC: SQLite (embedded, one writer connection, WAL, synchronous=FULL, writes
 * group-committed) or PostgreSQL (a shared database for many nodes). Migrations run on open.
 */
public final class SqlStore implements DirectoryStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);
    /** How long start-up waits for PostgreSQL to accept a connection. */
    static final Duration STARTUP_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** How long a request waits for a pooled PostgreSQL connection once the server runs. */
    static final Duration POOL_WAIT = Duration.ofSeconds(30);
    /** How much of the SQLite file each connection maps into memory (SQLite's own build caps it at ≈ 2 GiB). */
    static final long MMAP_BYTES = 1L << 31;
    private final Dialect dialect;
    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final Jdbi writer;
    private final Jdbi reader;
    /**
     * One fsync per batch of writes: all writes on SQLite; on PostgreSQL the writes of one tenant's data, whose
     * tenant locks a batch takes once (ADR 0027). Other PostgreSQL writes run in transactions of their own.
     */
    private final GroupCommit groupCommit;
    /** SQLite only: copies the write-ahead log into the file beside the writer, not on its thread (ADR 0032). */
    private final SqliteCheckpointer checkpointer;
    /** SQLite only: keeps the mailbox search index in one segment, after writes pause. */
    private final SqliteSearchMerge searchMerge;
    /** SQLite only: committed writes per kind of object changed ({@link #changesTo}). */
    private final AtomicLongArray changes = new AtomicLongArray(ObjectKind.values().length);
    /** PostgreSQL only: the journal counter's row, read once for all who ask at once ({@link #changeMark}). */
    private final SharedRead changeMark;
    private final List<Runnable> journalListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The data tables of images in write order; found on first use. */
    private volatile List<String> dataTables;
    /** SQLite only: the data directory's lock, held until {@link #close}. */
    private final StoreLock lock;

    private SqlStore(Dialect dialect, HikariDataSource writePool, HikariDataSource readPool, StoreLock lock) {
        this.dialect = dialect;
        this.lock = lock;
        this.writePool = writePool;
        this.readPool = readPool;
        this.writer = Jdbi.create(writePool);
        this.reader = readPool == writePool ? writer : Jdbi.create(readPool);
        if (dialect == Dialect.SQLITE) {
            // PostgreSQL's driver keeps its own statements prepared per connection; SQLite's does not.
            SqliteStatementCache statements = new SqliteStatementCache();
            writer.setStatementBuilderFactory(statements);
            reader.setStatementBuilderFactory(statements);
        }
        this.groupCommit = new GroupCommit(writer, dialect);
        this.checkpointer = dialect == Dialect.SQLITE ? new SqliteCheckpointer(reader) : null;
        this.searchMerge = dialect == Dialect.SQLITE
                ? new SqliteSearchMerge(() -> read(r -> ((SqlRecords) r).searchIndexSegments()),
                        pages -> write(r -> ((SqlRecords) r).mergeSearchIndex(pages))) : null;
        this.changeMark = dialect == Dialect.POSTGRESQL ? new SharedRead(() -> reader.withHandle(h -> h.createQuery(
                "SELECT last_seq + replacements FROM change_log_counter WHERE id = 1").mapTo(Long.class).one())) : null;
    }

    /** Opens (creating if needed) the SQLite file {@code mailroom.db} inside {@code dataDir}. */
    public static SqlStore openSqlite(Path dataDir) {
        return openSqlite(dataDir, null);
    }

    /** As {@link #openSqlite(Path)}, reporting both pools to {@code poolMetrics} (null: not reported). */
    public static SqlStore openSqlite(Path dataDir, MetricsTrackerFactory poolMetrics) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir, e);
        }
        // One store per data directory: a second server (or a restore) is refused until this one closes.
        StoreLock lock = StoreLock.acquire(dataDir);
        try {
            String url = "jdbc:sqlite:" + dataDir.resolve(SqliteFiles.DATABASE).toAbsolutePath();
            // One writer connection with BEGIN IMMEDIATE: writers queue in the pool instead of failing
            // with SQLITE_BUSY on a lock upgrade; readers use their own connections (WAL lets them run).
            HikariDataSource write = pool("mailroom-sqlite-write", sqlite(url, SQLiteConfig.TransactionMode.IMMEDIATE), 1,
                    poolMetrics, true, "PRAGMA wal_autocheckpoint=" + SqliteCheckpointer.WRITER_THRESHOLD_PAGES);
            migrate(write, Dialect.SQLITE);
            HikariDataSource read;
            try {
                // The writer has just opened the same file, so the readers' pool need not prove it can: it opens its
                // first connection on Hikari's own thread, beside the rest of start-up.
                read = pool("mailroom-sqlite-read", sqlite(url, SQLiteConfig.TransactionMode.DEFERRED), 4, poolMetrics, false,
                        null);
            } catch (RuntimeException e) {
                write.close();
                throw e;
            }
            return new SqlStore(Dialect.SQLITE, write, read, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /** Unpacks and loads SQLite's native library as the first connection would (once per process; idempotent). */
    public static void loadSqliteLibrary() {
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load SQLite's native library", e);
        }
    }

    public static SqlStore openPostgres(String jdbcUrl) {
        return openPostgres(jdbcUrl, null);
    }

    /** As {@link #openPostgres(String)}, reporting the pool to {@code poolMetrics} (null: not reported). */
    public static SqlStore openPostgres(String jdbcUrl, MetricsTrackerFactory poolMetrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mailroom-postgresql");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(16);
        if (poolMetrics != null) config.setMetricsTrackerFactory(poolMetrics);
        // A database that cannot be reached should refuse the start within seconds, not after pgjdbc's 10 s
        // connect timeout plus Hikari's 30 s; the URL's own connectTimeout still wins. Once migrated, requests
        // may wait for a busy pool as long as usual.
        config.addDataSourceProperty("connectTimeout", String.valueOf(STARTUP_CONNECT_TIMEOUT.toSeconds()));
        config.setConnectionTimeout(STARTUP_CONNECT_TIMEOUT.toMillis());
        HikariDataSource pool = new HikariDataSource(config);
        migrate(pool, Dialect.POSTGRESQL);
        pool.setConnectionTimeout(POOL_WAIT.toMillis());
        return new SqlStore(Dialect.POSTGRESQL, pool, pool, null);
    }

    private static DataSource sqlite(String url, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(30_000);
        // Reads of a large file go straight to the OS's page cache instead of being copied into each connection's
        // small cache: at a million mailboxes a fifth of a users/query's CPU was pread copying pages (ADR 0030).
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
        // A group commit runs each work in a savepoint, whose sub-journal (the pages' former contents) spilled to a
        // file in /var/tmp past 64 KiB: more write calls than the WAL itself got. It lives as long as one batch.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setTransactionMode(mode);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }

    private static HikariDataSource pool(String name, DataSource ds, int size, MetricsTrackerFactory poolMetrics,
                                         boolean connectNow, String initSql) {
        HikariConfig config = new HikariConfig();
        if (initSql != null) config.setConnectionInitSql(initSql);
        if (!connectNow) config.setInitializationFailTimeout(-1);
        if (poolMetrics != null) config.setMetricsTrackerFactory(poolMetrics);
        config.setPoolName(name);
        config.setDataSource(ds);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(60_000);
        return new HikariDataSource(config);
    }

    /** Brings the schema up to date; a failure closes the pool so that a refused start leaks nothing. */
    private static void migrate(HikariDataSource ds, Dialect dialect) {
        try {
            Flyway flyway = Flyway.configure().dataSource(ds).locations(dialect.migrationsLocation())
                    .placeholders(dialect.migrationPlaceholders()).load();
            try {
                flyway.migrate();
            } catch (FlywayValidateException refused) {
                // migrate() validates first: only a database it refuses pays for the look at retired checksums.
                if (!realignRetiredChecksums(flyway, dialect)) throw refused;
                flyway.migrate();
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * A database migrated by the former per-dialect scripts records their checksums, which differ from the
     * shared scripts' although the schema they built is the same. If every validation error is such a
     * retired checksum, repair() records the current ones and this answers true; otherwise nothing is
     * touched and migrate()'s refusal stands.
     */
    private static boolean realignRetiredChecksums(Flyway flyway, Dialect dialect) {
        // Validate as migrate() does: versions still to apply, or newer than this release, are no error here.
        ValidateResult result = Flyway.configure().configuration(flyway.getConfiguration())
                .ignoreMigrationPatterns("*:pending", "*:future").load().validateWithResult();
        if (result.validationSuccessful || result.invalidMigrations.isEmpty()) return false;
        Map<String, Integer> applied = new HashMap<>();
        for (MigrationInfo info : flyway.info().applied()) {
            if (info.getVersion() != null) applied.put(info.getVersion().getVersion(), info.getChecksum());
        }
        for (ValidateOutput invalid : result.invalidMigrations) {
            Integer retired = invalid.version == null ? null : dialect.retiredChecksums().get(invalid.version);
            boolean onlyRetired = invalid.errorDetails != null
                    && invalid.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH
                    && retired != null && retired.equals(applied.get(invalid.version));
            if (!onlyRetired) return false;
        }
        List<String> versions = result.invalidMigrations.stream().map(invalid -> invalid.version).toList();
        LOG.info("schema history holds the retired per-dialect checksums of versions {}; realigning them", versions);
        flyway.repair();
        return true;
    }

    @Override
    public <T> T write(Function<Records, T> work) {
        return committed(kinds -> dialect == Dialect.SQLITE
                ? groupCommit.write(null, work, kinds::addAll)
                : writer.inTransaction(handle -> SqlRecords.write(handle, dialect, work, kinds::addAll)));
    }

    @Override
    public <T> T writeTenant(String tenantKey, Function<Records, T> work) {
        return tenantWrite(tenantKey, false, work);
    }

    @Override
    public <T> T addToTenant(String tenantKey, Function<Records, T> work) {
        return tenantWrite(tenantKey, true, work);
    }

    /** A write of the tenant's data through the writer thread, its lock taken first ({@code adding}: ADR 0040). */
    private <T> T tenantWrite(String tenantKey, boolean adding, Function<Records, T> work) {
        return committed(kinds -> groupCommit.write(tenantKey, adding, r -> {
            r.lockTenant(tenantKey);
            return work.apply(r);
        }, kinds::addAll));
    }

    /** Runs a write that reports the kinds it changed to the set it is given, and counts and announces them. */
    private <T> T committed(Function<Set<ObjectKind>, T> write) {
        // The kinds are counted after the commit (or its failure, when whether it landed is unknown), never
        // before: a reader that saw the count move must not be able to read the data as it was.
        Set<ObjectKind> kinds = ConcurrentHashMap.newKeySet();
        boolean committed = false;
        try {
            T result = write.apply(kinds);
            committed = true;
            return result;
        } finally {
            if (dialect == Dialect.SQLITE) {
                for (ObjectKind kind : kinds) changes.incrementAndGet(kind.ordinal());
            }
            if (committed && checkpointer != null) checkpointer.committed();
            if (committed && searchMerge != null && !kinds.isEmpty()) searchMerge.written(kinds.contains(ObjectKind.USER_MAILBOX));
            if (committed && !kinds.isEmpty()) journalListeners.forEach(Runnable::run);
        }
    }

    @Override
    public Image capture() {
        org.jdbi.v3.core.HandleCallback<Image, RuntimeException> read = handle -> {
            try {
                return StoreImage.capture(handle.getConnection(), dataTables(handle.getConnection()));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot read the store's image: " + e.getMessage(), e);
            }
        };
        // Many statements that must see one moment: a SQLite read transaction does; PostgreSQL's READ COMMITTED
        // gives each statement its own snapshot, REPEATABLE READ one for the whole transaction.
        return dialect == Dialect.POSTGRESQL
                ? reader.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, read)
                : reader.inTransaction(read);
    }

    @Override
    public void replace(Image image) {
        if (!(image instanceof StoreImage rows)) throw new IllegalArgumentException("not an image of this store");
        writeWhole(rows, false);
    }

    @Override
    public DirectoryStore.Contents contents() {
        return reader.withHandle(handle -> {
            try {
                return StoreImage.count(handle.getConnection(), dataTables(handle.getConnection()));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot count the store's data: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public boolean disposable() {
        return reader.withHandle(SqlStore::marked);
    }

    private static boolean marked(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM disposable_store").mapTo(Integer.class).one() > 0;
    }

    @Override
    public void makeDisposable() {
        writeWhole(StoreImage.empty(), true);
    }

    /** The data tables in write order, found once per store ({@link StoreImage#dataTables}). */
    private List<String> dataTables(java.sql.Connection c) throws java.sql.SQLException {
        List<String> known = dataTables;
        if (known == null) {
            known = List.copyOf(StoreImage.dataTables(c, dialect));
            dataTables = known;
        }
        return known;
    }

    /** Replaces all data by the image's in one transaction (marking the store first, or refusing an unmarked one). */
    private void writeWhole(StoreImage image, boolean mark) {
        try {
            write(r -> {
                ((SqlRecords) r).replaceEverything(h -> replaceWith(h, image, mark));
                return null;
            });
        } finally {
            // Anything may have changed: no cached object and no waiting reader may trust what it saw before.
            if (dialect == Dialect.SQLITE) {
                for (ObjectKind kind : ObjectKind.values()) changes.incrementAndGet(kind.ordinal());
            }
            journalListeners.forEach(Runnable::run);
        }
    }

    /** Writes the image's rows in place of all data, inside the caller's transaction. */
    private void replaceWith(org.jdbi.v3.core.Handle h, StoreImage image, boolean mark) {
        if (dialect == Dialect.POSTGRESQL) {
            // Other transactions write beside this one. Every tenant write takes its tenant's row lock first and
            // every journalling write the counter last: holding the tenant table and then the counter waits for
            // the writes under way and holds back new ones, so none lands half in the old world, half in the new.
            h.execute("LOCK TABLE tenant IN EXCLUSIVE MODE");
        }
        // Takes the counter's row (last, as journalling writes do) and moves the change mark of every node.
        h.execute("UPDATE change_log_counter SET replacements = replacements + 1 WHERE id = 1");
        if (mark) {
            h.createUpdate("INSERT INTO disposable_store (id, marked_at) VALUES (1, :at) ON CONFLICT (id) DO NOTHING")
                    .bind("at", System.currentTimeMillis()).execute();
        } else if (!marked(h)) {
            throw new IllegalStateException("the store is not disposable: its data is never replaced whole");
        }
        try {
            image.writeTo(h.getConnection(), dataTables(h.getConnection()));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot write the store's image: " + e.getMessage(), e);
        }
    }

    @Override
    public void onJournalled(Runnable listener) {
        journalListeners.add(listener);
    }

    /** Carries a rehearsed work's answer out of its transaction, which rolls back because of it. */
    private static final class Rehearsed extends RuntimeException {
        private final transient Object answer;

        Rehearsed(Object answer) {
            super("rehearsal", null, false, false);
            this.answer = answer;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T rehearse(String tenantKey, Function<Records, T> work) {
        // A write whose work throws is rolled back whole (alone, or its savepoint within a group commit), before
        // its journal is flushed or its kinds counted: ending the work with a throw is what a rehearsal is.
        try {
            writeTenant(tenantKey, r -> {
                throw new Rehearsed(work.apply(r));
            });
        } catch (Rehearsed done) {
            return (T) done.answer;
        }
        throw new IllegalStateException("a rehearsal ended without its answer");
    }

    @Override
    public OptionalLong changesTo(ObjectKind kind) {
        // Only the embedded SQLite file is written by this process alone; PostgreSQL has other nodes.
        return dialect == Dialect.POSTGRESQL ? OptionalLong.empty() : OptionalLong.of(changes.get(kind.ordinal()));
    }

    @Override
    public OptionalLong changeMark() {
        if (changeMark != null) return OptionalLong.of(changeMark.get());
        long sum = 0;
        for (int i = 0; i < changes.length(); i++) sum += changes.get(i);
        return OptionalLong.of(sum);
    }

    @Override
    public <T> T read(Function<Records, T> work) {
        // SQLite: one read transaction, so every statement of the work sees the same snapshot of the file.
        // PostgreSQL runs at READ COMMITTED, where each statement takes its own snapshot inside a transaction
        // too: the transaction would add nothing but its COMMIT, one more round trip on every read.
        if (dialect == Dialect.POSTGRESQL) return reader.withHandle(handle -> SqlRecords.read(handle, dialect, work));
        return reader.inTransaction(handle -> SqlRecords.read(handle, dialect, work));
    }

    /** A PRAGMA's value as a connection of the readers' pool sees it. */
    String readerPragma(String name) {
        return pragma(reader, name);
    }

    /** SQLite: the search index's merge steps run so far; PostgreSQL: 0. */
    long searchMergeSteps() {
        return searchMerge == null ? 0 : searchMerge.steps();
    }

    /** SQLite: the checkpoints the checkpointer has run so far; PostgreSQL: 0. */
    long checkpoints() {
        return checkpointer == null ? 0 : checkpointer.checkpoints();
    }

    /** A PRAGMA's value as the writer's connection sees it (between batches: it waits for the one connection). */
    String writerPragma(String name) {
        return pragma(writer, name);
    }

    private static String pragma(Jdbi connections, String name) {
        return connections.withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
    }

    @Override
    public String kind() {
        return dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
    }

    /** Transactions of the writer thread committed so far; with concurrent writers, fewer than the writes. */
    long commits() {
        return groupCommit.commits();
    }

    /** Writes the writer thread ran again after PostgreSQL chose them as a deadlock's victim. */
    long deadlockVictims() {
        return groupCommit.deadlockVictims();
    }

    /** Tenants the writer thread locked shared for batches of adding writes (ADR 0040). */
    long sharedLocks() {
        return groupCommit.sharedLocks();
    }

    /** Batches run again with exclusive tenant locks because a count an adding write checked had moved. */
    long countRaces() {
        return groupCommit.countRaces();
    }

    /** Writes waiting for the writer thread. */
    int queuedWrites() {
        return groupCommit.queued();
    }

    @Override
    public void close() {
        // Writes already queued still commit and get their answer; the pools close after that.
        if (searchMerge != null) searchMerge.close();
        if (groupCommit != null) groupCommit.close();
        if (checkpointer != null) checkpointer.close();
        if (readPool != writePool) readPool.close();
        writePool.close();
        if (lock != null) lock.close();
    }
}
