package mailroom.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * How long the token endpoint takes to refuse a wrong secret and an unknown app id, side by side: the two must
 * not tell apart which app ids exist (docs/performance.md). One request at a time, the paths interleaved, medians
 * printed. An app id asked before is answered from the app cache, found or not, like a known app in use; one never
 * seen costs a store read more (SQLite). The server's clock is moved a minute between rounds, so the failure throttle never refuses a measured
 * request. Run with {@code scripts/benchmark.sh auth [-Dbench.rounds=400]}.
 */
public final class AuthTimingBenchmark {
    private static final String PATH = "/open-apis/auth/v3/tenant_access_token/internal";

    private AuthTimingBenchmark() {}

    public static void main(String[] args) {
        int rounds = Integer.getInteger("bench.rounds", 400);
        int warmUp = Integer.getInteger("bench.warmup", 100);
        TestClock clock = TestClock.movable(Instant.now());
        try (MailroomServer server = MailroomServer.start(TestServers.options(Backend.SQLITE, null), clock)) {
            FeishuHttp http = new FeishuHttp(server.port());
            String[] names = {"wrong secret (known app id)", "unknown app id, asked before", "unknown app id, never seen",
                    "right secret (token issued)", "no secret in the body (no PBKDF2 at all)"};
            List<List<Long>> times = new ArrayList<>();
            for (int p = 0; p < names.length; p++) times.add(new ArrayList<>());
            for (int round = 0; round < warmUp + rounds; round++) {
                clock.advance(Duration.ofMinutes(1));
                for (int k = 0; k < names.length; k++) {
                    // Each round starts with another path, so that none always follows the same one.
                    int p = (k + round) % names.length;
                    String body = switch (p) {
                        case 0 -> "{\"app_id\":\"cli_full\",\"app_secret\":\"wrong-" + round + "\"}";
                        case 1 -> "{\"app_id\":\"cli_unknown\",\"app_secret\":\"wrong-" + round + "\"}";
                        case 2 -> "{\"app_id\":\"cli_unknown_" + round + "\",\"app_secret\":\"wrong-" + round + "\"}";
                        case 3 -> "{\"app_id\":\"cli_full\",\"app_secret\":\"secret-full\"}";
                        default -> "{\"app_id\":\"cli_unknown_" + round + "\"}";
                    };
                    long started = System.nanoTime();
                    FeishuHttp.Response r = http.send("POST", PATH, null, body);
                    long elapsed = System.nanoTime() - started;
                    int expected = p == 3 ? 0 : 10003;
                    if (r.json().get("code").asInt() != expected) throw new IllegalStateException(names[p] + ": " + r.text());
                    if (round >= warmUp) times.get(p).add(elapsed);
                }
            }
            System.out.printf(Locale.ROOT, "Token endpoint, SQLite, %d rounds after %d warm-up rounds, one request at a time, %d cores%n",
                    rounds, warmUp, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-42s %9s %9s %9s%n", "path", "p10 ms", "p50 ms", "p90 ms");
            for (int p = 0; p < names.length; p++) {
                List<Long> t = times.get(p);
                t.sort(null);
                System.out.printf(Locale.ROOT, "%-42s %9.2f %9.2f %9.2f%n", names[p], ms(t, 0.10), ms(t, 0.50), ms(t, 0.90));
            }
            System.out.printf(Locale.ROOT, "medians, unknown app id / wrong secret: %.2f asked before, %.2f never seen%n",
                    ms(times.get(1), 0.5) / ms(times.get(0), 0.5), ms(times.get(2), 0.5) / ms(times.get(0), 0.5));
        }
    }

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(quantile * (sorted.size() - 1)))) / 1e6;
    }
}
