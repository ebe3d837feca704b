package mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import mailroom.directory.Records;
import org.jdbi.v3.core.Handle;

/**
 * What the group-commit tests share: a "gate" write that holds the writer thread until the test opens it, so
 * the writes queued meanwhile are known to share the next transaction, and a wait for a condition.
 */
final class WriterGates {
    private WriterGates() {}

    /** Starts {@code write} of a work that blocks the writer thread until {@code open}; returns once it runs. */
    static Future<?> holdTheWriter(ExecutorService callers, CountDownLatch open,
                                   Function<Function<Records, Object>, Object> write) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Future<?> gate = callers.submit(() -> write.apply(r -> {
            running.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        return gate;
    }

    static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 30 s");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The transaction's handle behind the records a work is given. */
    static Handle sql(Records r) {
        return ((SqlRecords) r).handle();
    }
}
