package mailroom.directory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Lets readers of the journal wait for its next entry instead of polling it in a loop: a journalled commit
 * of this node wakes them at once; other nodes' commits (a shared database) are found by reading the last
 * sequence number every poll interval while someone waits.
 */
final class JournalWatch {
    private final LongSupplier lastSeq;
    private final Duration pollInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private long commits;

    JournalWatch(LongSupplier lastSeq, Duration pollInterval) {
        this.lastSeq = lastSeq;
        this.pollInterval = pollInterval;
    }

    /** Journalled commits of this node so far (how busy its writers are). */
    long commits() {
        lock.lock();
        try {
            return commits;
        } finally {
            lock.unlock();
        }
    }

    /** Called after each journalled commit of this node. */
    void nudge() {
        lock.lock();
        try {
            commits++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until an entry above {@code afterSeq} is committed, at most {@code max}; answers whether one is.
     * Interruption ends the wait early (answering what the journal holds then) and stays set.
     */
    boolean await(long afterSeq, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long seen;
            lock.lock();
            try {
                seen = commits;
            } finally {
                lock.unlock();
            }
            // Read after taking note of the commits so far: a commit landing after this read still wakes the wait.
            if (lastSeq.getAsLong() > afterSeq) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            lock.lock();
            try {
                if (commits == seen) committed.await(Math.min(left, pollInterval.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lastSeq.getAsLong() > afterSeq;
            } finally {
                lock.unlock();
            }
        }
    }
}
