package mailroom.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * Directory write throughput with webhooks and without, side by side (docs/performance.md): each round starts a
 * fresh server on a fresh database, with none or with {@code bench.webhooks} webhooks subscribed to every event
 * and delivered to a local receiver, then creates mail groups through the Feishu door; after one unmeasured pair,
 * rounds alternate in ABBA order so that the machine's noise and trends fall on both. Prints each round, the
 * medians, their ratio, and how long the webhooks took to catch up after the last write.
 */
public final class WebhookBenchmark {
    private WebhookBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 10000);
        int clients = Integer.getInteger("bench.clients", 16);
        int rounds = Integer.getInteger("bench.rounds", 6);
        int webhooks = Integer.getInteger("bench.webhooks", 10);
        Backend backend = Backend.valueOf(System.getProperty("bench.backend", "SQLITE"));
        System.out.printf(Locale.ROOT, "Webhook benchmark: %s, %d creates per round, %d clients, %d rounds, %d webhooks, %d cores%n",
                backend, requests, clients, rounds, webhooks, Runtime.getRuntime().availableProcessors());
        AtomicLong delivered = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            delivered.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        try {
            // One pair unmeasured first (the JIT's warm-up), then pairs in alternating order (ABBA), so that a trend
            // of the machine over the run falls on both configurations alike.
            for (int round = -1; round < rounds; round++) {
                int[] order = round % 2 == 0 ? new int[]{0, webhooks} : new int[]{webhooks, 0};
                for (int hooks : order) {
                    delivered.set(0);
                    double rate = round(backend, requests, clients, hooks, receiver.getAddress().getPort(), delivered);
                    if (round >= 0) (hooks == 0 ? without : with).add(rate);
                }
                if (round < 0) System.out.println("  (the pair above warmed up, it is not counted)");
            }
        } finally {
            receiver.stop(0);
        }
        double a = median(without);
        double b = median(with);
        System.out.printf(Locale.ROOT, "median create mail group: %.0f req/s without webhooks, %.0f req/s with %d; ratio %.3f%n",
                a, b, webhooks, b / a);
    }

    private static double round(Backend backend, int requests, int clients, int hooks, int receiverPort, AtomicLong delivered)
            throws Exception {
        try (BenchData data = BenchData.create("mailroom-webhook-bench")) {
            return round(backend, data.dir(), requests, clients, hooks, receiverPort, delivered);
        }
    }

    private static double round(Backend backend, Path dir, int requests, int clients, int hooks, int receiverPort, AtomicLong delivered)
            throws Exception {
        MailroomServer.Options o = TestServers.options(backend, dir);
        MailroomServer.Options options;
        try (var in = WebhookBenchmark.class.getResourceAsStream("/seeds/bench.yaml")) {
            options = new MailroomServer.Options(o.host(), 0, o.dataDir(), o.databaseUrl(),
                    List.of(mailroom.seed.Seeder.read(in)), false).withAdminTokenFile(dir.resolve("admin-token"));
        }
        try (MailroomServer server = MailroomServer.start(options)) {
            FeishuHttp http = new FeishuHttp(server.port());
            String admin = "Bearer " + Files.readString(dir.resolve("admin-token")).trim();
            for (int i = 0; i < hooks; i++) {
                FeishuHttp.Response r = http.send("POST", "/admin/v1/tenants/bench/webhooks", admin,
                        "{\"url\":\"http://127.0.0.1:" + receiverPort + "/hook-" + i + "\",\"events\":[\"*\"]}");
                if (r.status() != 201) throw new IllegalStateException("webhook not created: " + r.text());
            }
            Benchmarks.run(300, 4, i -> http.call("cli_bench", "GET", "/open-apis/mail/v1/mailgroups?page_size=1", null).status() == 200);
            // Each webhook also gets the other webhooks' creations made after its own.
            long expected = (long) hooks * requests + (long) hooks * (hooks + 1) / 2;
            Benchmarks.Result r = Benchmarks.run(requests, clients, i -> http.call("cli_bench", "POST", "/open-apis/mail/v1/mailgroups",
                    "{\"email\":\"wb-" + i + "@bench.test\",\"name\":\"WB " + i + "\"}").status() == 200);
            long wrote = System.nanoTime();
            long deliveredAtEnd = delivered.get();
            Benchmarks.report(backend + " create mail group, " + hooks + " webhooks", r);
            if (hooks > 0) {
                long deadline = System.nanoTime() + 300_000_000_000L;
                while (delivered.get() < expected && System.nanoTime() < deadline) Thread.sleep(20);
                System.out.printf(Locale.ROOT, "  deliveries: %d of %d when the writes ended; all %d after %.2f s more%n",
                        deliveredAtEnd, expected, delivered.get(), (System.nanoTime() - wrote) / 1e9);
            }
            return r.count() / (r.elapsed().toNanos() / 1e9);
        }
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
