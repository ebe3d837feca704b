package mailroom.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.*;

/** Runs calls on their own threads, released at one moment by a barrier, for race tests. */
public final class Together {
    private Together() {}

    /** Answers each call's result in the order of the calls; fails if any call throws or hangs. */
    public static <T> List<T> run(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CyclicBarrier start = new CyclicBarrier(calls.size());
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return call.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get(120, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
