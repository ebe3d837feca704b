package mailroom.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mailroom.directory.Journal;

/**
 * The change feed's reading of the journal: a slice after a position, and, for a long poll, waiting until an
 * entry the reader may see arrives or the wait ends. A tenant's reader keeps waiting while only other tenants'
 * entries arrive, yet its position still moves past them. Counts the polls waiting, for the metrics.
 */
public final class ChangeFeed {
    /** The longest long poll a reader may ask for. */
    public static final int MAX_WAIT_SECONDS = 60;

    private final Journal journal;
    private final AtomicInteger waiting = new AtomicInteger();

    public ChangeFeed(Journal journal) {
        this.journal = journal;
    }

    /**
     * The entries after {@code afterSeq} (of one tenant, unless {@code tenantKey} is null), oldest first, at most
     * {@code limit}; when there are none, waits up to {@code wait} for one and answers as soon as it is
     * committed. An interrupted wait (the server stopping) answers at once with what it had.
     */
    public Journal.Slice poll(long afterSeq, int limit, String tenantKey, Duration wait) {
        Journal.Slice slice = journal.slice(afterSeq, limit, tenantKey);
        if (!slice.items().isEmpty() || !wait.isPositive()) return slice;
        long deadline = System.nanoTime() + wait.toNanos();
        waiting.incrementAndGet();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return slice;
                boolean arrived = journal.await(slice.nextAfter(), Duration.ofNanos(left));
                if (Thread.currentThread().isInterrupted() || !arrived) return slice;
                slice = journal.slice(slice.nextAfter(), limit, tenantKey);
                if (!slice.items().isEmpty()) return slice;
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** The highest sequence number committed so far. */
    public long lastSeq() {
        return journal.lastSeq();
    }

    /** How many long polls are waiting right now. */
    public int openPolls() {
        return waiting.get();
    }
}
