package mailroom.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * Throughput and latency figures for the write paths that matter to a mail admin, printed rather than
 * asserted (see docs/performance.md). Run with {@code scripts/benchmark.sh}; each section starts a fresh
 * server on a fresh database so that the figures do not depend on each other.
 */
public final class Benchmarks {
    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 4000);
        int clients = Integer.getInteger("bench.clients", 16);
        System.out.printf(Locale.ROOT, "Mailroom benchmarks: %d requests per run, %d concurrent clients, %d cores%n",
                requests, clients, Runtime.getRuntime().availableProcessors());
        for (Backend backend : Backend.values()) {
            try (MailroomServer server = start(backend)) {
                FeishuHttp http = new FeishuHttp(server.port());
                warmUp(http);
                report(backend + " create mail group (one durable commit each)", run(requests, clients, i ->
                        http.call("cli_bench", "POST", "/open-apis/mail/v1/mailgroups",
                                "{\"email\":\"bench-" + i + "@bench.test\",\"name\":\"Bench " + i + "\"}").status() == 200));
                report(backend + " get mail group by address", run(requests, clients, i ->
                        http.call("cli_bench", "GET", "/open-apis/mail/v1/mailgroups/bench-" + (i % 100) + "@bench.test",
                                null).status() == 200));
                report(backend + " add mail group alias", run(requests / 4, clients, i ->
                        http.call("cli_bench", "POST", "/open-apis/mail/v1/mailgroups/bench-" + (i % 1000) + "@bench.test/aliases",
                                "{\"email_alias\":\"bench-alias-" + i + "@bench-mail.test\"}").status() == 200));
            }
        }
        HybridboxBenchmark.run();
    }

    /** A fresh server on a fresh database of the backend, with the benchmark tenant (seeds/bench.yaml). */
    static MailroomServer start(Backend backend) throws Exception {
        MailroomServer.Options o = TestServers.options(backend, null);
        try (var in = Benchmarks.class.getResourceAsStream("/seeds/bench.yaml")) {
            return MailroomServer.start(new MailroomServer.Options(o.host(), 0, o.dataDir(), o.databaseUrl(),
                    java.util.List.of(mailroom.seed.Seeder.read(in)), false));
        }
    }

    private static void warmUp(FeishuHttp http) throws Exception {
        run(300, 4, i -> http.call("cli_bench", "GET", "/open-apis/mail/v1/mailgroups?page_size=1", null).status() == 200);
    }

    /** One measured request: answers whether it got the expected success status. */
    @FunctionalInterface
    interface Call {
        boolean send(int i) throws Exception;
    }

    record Result(int count, int failures, Duration elapsed, long[] latenciesNanos) {}

    static Result run(int count, int clients, Call call) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        boolean ok = call.send(i);
                        latencies[i] = System.nanoTime() - t0;
                        if (!ok) failures.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        return new Result(count, failures.get(), Duration.ofNanos(System.nanoTime() - start), latencies);
    }

    static void report(String name, Result r) {
        long[] sorted = r.latenciesNanos().clone();
        Arrays.sort(sorted);
        double seconds = r.elapsed().toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "%-58s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d failed)%n",
                name, r.count() / seconds, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                r.count(), r.failures());
    }
}
