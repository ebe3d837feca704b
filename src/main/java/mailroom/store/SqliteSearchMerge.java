package mailroom.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps SQLite's mailbox search indexes (FTS5 trigrams, ADR 0008; five-character grams, ADR 0039) merged into one
 * segment each, on a thread of its own. FTS5 merges as it writes only now and then (its automerge), so a bulk load of
 * a million mailboxes leaves thirteen segments, and a search looks each of its keys up in every one of them.
 *
 * <p>After mailboxes were written, once every write has paused for {@link #QUIET_MILLIS} and an index has {@link
 * #MIN_SEGMENTS} segments or more, it merges {@link #PAGES_PER_STEP} pages at a time, each step a write of its own
 * through the one writer, until FTS5 has nothing left to merge. Any write meanwhile ends the run: the merge waits
 * for quiet again, so it never holds a stream of writes back by more than one step. It also looks once after the store opens, for
 * an index left unmerged before.
 */
final class SqliteSearchMerge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteSearchMerge.class);
    /** How long every write must have paused before a merge begins. */
    static final long QUIET_MILLIS = 1_000;
    /** Pages merged per step (≈ 60 ms of the writer at a million mailboxes). */
    static final int PAGES_PER_STEP = 500;

    /** Fewer segments than this are left as they are: FTS5's own automerge keeps up to three a level. */
    static final int MIN_SEGMENTS = 4;

    /** How many segments the index has now (one read). */
    private final IntSupplier segments;
    /** Runs one merge step of so many pages as a write; answers whether FTS5 found work to do. */
    private final IntPredicate step;
    private final AtomicLong mailboxWrites = new AtomicLong(1);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private volatile boolean closed;
    private final Thread thread;

    SqliteSearchMerge(IntSupplier segments, IntPredicate step) {
        this.segments = segments;
        this.step = step;
        // A platform thread: it waits on the writer, whose steps spend their time in native SQLite calls.
        this.thread = Thread.ofPlatform().name("mailroom-sqlite-search-merge").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * A write that changed objects committed; {@code mailboxes}: some of them mailboxes. Cheap; called after every
     * such commit (not after the merge's own steps, which change no object).
     */
    void written(boolean mailboxes) {
        writes.incrementAndGet();
        if (mailboxes) {
            mailboxWrites.incrementAndGet();
            LockSupport.unpark(thread);
        }
    }

    /** Merge steps run so far. */
    long steps() {
        return steps.get();
    }

    private void run() {
        long merged = 0;
        while (!closed) {
            long seen = mailboxWrites.get();
            if (seen == merged) {
                LockSupport.park(this);
                continue;
            }
            long before = writes.get();
            if (!sleep(QUIET_MILLIS) || writes.get() != before) continue;
            try {
                boolean more = segments.getAsInt() >= MIN_SEGMENTS;
                while (!closed && more && writes.get() == before) {
                    more = step.test(PAGES_PER_STEP);
                    steps.incrementAndGet();
                }
                if (!more) merged = seen;
            } catch (RuntimeException e) {
                // The next mailbox write tries again; searches stay right, only slower, meanwhile.
                if (!closed) LOG.warn("merging the search index failed: {}", e.toString());
                merged = seen;
            }
        }
    }

    /** Sleeps (writes that come meanwhile do not cut it short, unlike a park); false when closing. */
    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops the thread without waiting for it: a step under way is a write, which closing the writer lets commit
     * and answer; one begun after that is refused and, closed, not reported. Called before the writer closes, so
     * that closing goes straight on to the writes still queued.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
