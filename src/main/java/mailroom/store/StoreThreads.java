package mailroom.store;

import java.util.concurrent.TimeUnit;

/**
 * How the store's own background threads (the WAL checkpointer, the search index's merge) are stopped: by an
 * interrupt, then waited for, so that work under way ends before the connections close.
 */
final class StoreThreads {
    private StoreThreads() {}

    /** Interrupts the thread (its loop has seen its closed flag set) and waits for it, 30 s at most. */
    static void stop(Thread thread) {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
