package mailroom.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One read of a small value at a time, shared by every caller that asked before it began. Each caller gets a
 * value read wholly after it asked — as fresh as a read of its own — while callers that ask together cost the
 * database one round trip: the caller that finds no read under way makes it, the others wait for it or, when
 * it began before they asked, for the next. For a value many threads need at once and on every request, such
 * as the mark that tells a node whether what it kept is still current.
 */
final class SharedRead {
    private final LongSupplier read;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Reads finished so far; while {@link #reading}, the one under way is number {@code finishedReads + 1}. */
    private long finishedReads;
    private boolean reading;
    /** What the last finished read answered: its value, or what it threw. */
    private long value;
    private Throwable failure;

    SharedRead(LongSupplier read) {
        this.read = read;
    }

    /** A value read after this call began (its read's failure is thrown as it is); waits uninterruptibly. */
    long get() {
        lock.lock();
        try {
            // A read under way may have read before this call began; the one after it certainly did not.
            long wanted = finishedReads + (reading ? 2 : 1);
            while (finishedReads < wanted) {
                if (reading) {
                    finished.awaitUninterruptibly();
                } else {
                    readForAll();
                }
            }
            // Reads run one at a time, in order: the last one finished began no earlier than the one this call waited for.
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            return value;
        } finally {
            lock.unlock();
        }
    }

    /** Reads begun so far (for tests and figures). */
    long reads() {
        lock.lock();
        try {
            return finishedReads + (reading ? 1 : 0);
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting for a read someone else makes (for tests). */
    int waiting() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(finished);
        } finally {
            lock.unlock();
        }
    }

    /** Makes the next read with the lock released, and hands its answer to everyone waiting. Holds the lock. */
    private void readForAll() {
        reading = true;
        long answer = 0;
        Throwable thrown = null;
        lock.unlock();
        try {
            answer = read.getAsLong();
        } catch (RuntimeException | Error e) {
            thrown = e;
        } finally {
            lock.lock();
            value = answer;
            failure = thrown;
            reading = false;
            finishedReads++;
            finished.signalAll();
        }
    }
}
