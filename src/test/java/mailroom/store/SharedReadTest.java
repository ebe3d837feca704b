package mailroom.store;

import static mailroom.store.WriterGates.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared read with a read that waits for the test's word: each read answers its own number and holds until
 * the test lets it finish, so which callers share which read is decided by the test, not by scheduling.
 */
class SharedReadTest {
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    /** What each read does when let go: answer its number, or throw. */
    private final BlockingQueue<RuntimeException> letGo = new LinkedBlockingQueue<>();
    private final AtomicLong begun = new AtomicLong();
    private final SharedRead shared = new SharedRead(() -> {
        long number = begun.incrementAndGet();
        try {
            RuntimeException failure = letGo.take();
            if (failure != NONE) throw failure;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return number;
    });
    private static final RuntimeException NONE = new RuntimeException("no failure");

    @AfterEach
    void close() {
        callers.shutdownNow();
    }

    /**
     * A first caller's read under way, {@code n} callers asking meanwhile and waiting; then the first read let go,
     * answering the first caller alone. Answers the waiting callers' futures.
     */
    private List<Future<Long>> askedWhileTheFirstReadWasUnderWay(int n) throws Exception {
        Future<Long> first = callers.submit(shared::get);
        awaitTrue(() -> begun.get() == 1);
        List<Future<Long>> later = new ArrayList<>();
        for (int i = 0; i < n; i++) later.add(callers.submit(shared::get));
        awaitTrue(() -> shared.waiting() == n);
        letGo.add(NONE);
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        return later;
    }

    @Test
    void callersThatAskWhileAReadIsUnderWayShareTheNextReadNotThatOne() throws Exception {
        List<Future<Long>> later = askedWhileTheFirstReadWasUnderWay(10);
        // One of the ten makes the second read for all ten; the others wait for it.
        awaitTrue(() -> begun.get() == 2 && shared.waiting() == 9);
        letGo.add(NONE);
        for (Future<Long> f : later) assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(shared.reads()).isEqualTo(2);
        assertThat(begun.get()).isEqualTo(2);
    }

    @Test
    void aCallerAloneMakesItsOwnReadEveryTime() {
        letGo.add(NONE);
        letGo.add(NONE);
        letGo.add(NONE);
        assertThat(List.of(shared.get(), shared.get(), shared.get())).containsExactly(1L, 2L, 3L);
        assertThat(shared.reads()).isEqualTo(3);
    }

    @Test
    void aFailedReadFailsEveryCallerThatWaitedForItAndTheNextReadIsMadeAfresh() throws Exception {
        List<Future<Long>> later = askedWhileTheFirstReadWasUnderWay(3);

        IllegalStateException down = new IllegalStateException("database down");
        awaitTrue(() -> begun.get() == 2);
        letGo.add(down);
        for (Future<Long> f : later) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCause(down);
        }
        letGo.add(NONE);
        assertThat(shared.get()).isEqualTo(3);
    }
}
