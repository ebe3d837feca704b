package mailroom.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own (ADR 0032), so that the one writer
 * thread, which every write of the server waits for, does not: left to SQLite, the commit that crosses the WAL's
 * threshold copies it, reading every frame back and fsyncing the file, and all writes queued behind wait.
 *
 * <p>A PASSIVE checkpoint never blocks the writer or a reader; it runs a little after commits were seen, at most
 * every {@link #PAUSE_MILLIS}, so one checkpoint copies many commits' pages. The writer keeps SQLite's own
 * automatic checkpoint at a higher threshold ({@link #WRITER_THRESHOLD_PAGES}) as a safety net: if this thread
 * falls behind, the log still stays bounded.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);
    /** Shortest time between two checkpoints: long enough to gather commits, short enough to keep the log small. */
    static final long PAUSE_MILLIS = 100;
    /** The writer's own automatic checkpoint, only reached if this thread falls behind (≈ 40 MB of log). */
    static final int WRITER_THRESHOLD_PAGES = 10_000;

    private final Jdbi connections;
    private final AtomicBoolean committed = new AtomicBoolean();
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile boolean closed;
    private final Thread thread;

    /** Checkpoints through connections of {@code connections} (the readers' pool: a checkpoint writes no row). */
    SqliteCheckpointer(Jdbi connections) {
        this.connections = connections;
        // A platform thread: it spends its time in native SQLite calls and fsync, which would pin a carrier.
        this.thread = Thread.ofPlatform().name("mailroom-sqlite-checkpointer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** A write transaction committed: its frames are to be copied soon. Cheap; called after every commit. */
    void committed() {
        if (!committed.get() && committed.compareAndSet(false, true)) LockSupport.unpark(thread);
    }

    /** Checkpoints run so far. */
    long checkpoints() {
        return checkpoints.get();
    }

    private void run() {
        while (!closed) {
            if (!committed.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            try {
                connections.useHandle(h -> h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().one());
                checkpoints.incrementAndGet();
            } catch (RuntimeException e) {
                // The next commit tries again; the writer's own threshold keeps the log bounded meanwhile.
                if (!closed) LOG.warn("WAL checkpoint failed: {}", e.toString());
            }
            try {
                Thread.sleep(PAUSE_MILLIS); // not ended by the commits that come meanwhile, unlike a park
            } catch (InterruptedException e) {
                // close() interrupts: the loop's condition ends it
            }
        }
    }

    /** Stops the thread and waits for a checkpoint under way; closing the last connection checkpoints the rest. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
