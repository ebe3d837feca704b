package mailroom.bench;

import static mailroom.testing.HybridboxHttp.path;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * The Hybridbox mailbox list with {@code search=} at growing tenant sizes (docs/adr/0008-indexed-search.md):
 * loads N mailboxes through the bulk endpoint into a fresh database, then times one list request at a
 * time, so the figure is the request's own latency, not queueing. Run with {@code scripts/benchmark.sh search};
 * {@code -Dbench.sizes=10000,1000000}, {@code -Dbench.backend=SQLITE|POSTGRESQL}, {@code -Dbench.searches=200}.
 */
public final class SearchBenchmark {
    private static final String ACCOUNT = "0b0b0b0b-0000-4000-8000-00000000be02";
    private static final String TOKEN = "hbx_sa_search_provisioning";
    private static final int BULK = 1000;
    private static final String[] FIRST = names("""
            anna ben carla dmitri elena farid grace hiro ines jonas kemal lena marco nadia oscar priya quentin rosa
            sven tara umar vera wanda xavier yuki zoran amir bianca chen dana emil fatima gustav hana ivan julia kai
            leila mateo nora omar pavel rania sofia tomas ulla viktor wei yara zeynep adele boris celine diego erik""");
    private static final String[] LAST = names("""
            kim garcia mueller rossi novak silva tanaka nguyen okafor larsen dubois kowalski ivanova haddad sato
            fischer moreau costa jensen petrov yilmaz murphy schmidt lopez ferrari wagner becker hoffmann schulz
            koch richter klein wolf neumann schwarz zimmermann braun krueger hartmann lange werner krause meier
            lehmann schmid schulze maier koehler herrmann walter mayer huber kaiser fuchs peters lang scholz
            moeller weiss jung hahn schubert vogel friedrich keller guenther frank berger winkler roth beck lorenz
            baumann franke albrecht schuster simon ludwig boehm winter kraus martin schumacher kraemer vogt stein
            jaeger otto sommer gross seidel heinrich brandt haas schreiber graf schulte dietrich ziegler kuhn""");

    private SearchBenchmark() {}

    /** What a search looks for: how many mailboxes it tends to match decides what it costs. */
    enum Kind {
        ADDRESS("one mailbox's whole local part (matches 1)"),
        NAME("a first or last name (matches 1-2 % of mailboxes)"),
        RANDOM("4 random letters (matches few or none)"),
        SHORT("1-2 letters (matches most)");

        final String what;

        Kind(String what) {
            this.what = what;
        }
    }

    record Search(Kind kind, String text) {}

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "10000,1000000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int searches = Integer.getInteger("bench.searches", 200);
        String only = System.getProperty("bench.backend");
        System.out.printf(Locale.ROOT, "Mailroom search benchmark: list page 1 of 25, one request at a time, %d cores%n",
                Runtime.getRuntime().availableProcessors());
        for (Backend backend : Backend.values()) {
            if (only != null && !only.equalsIgnoreCase(backend.name())) continue;
            for (int size : sizes) {
                try (BenchData data = BenchData.create("mailroom-search-bench"); MailroomServer server = start(backend, data.dir())) {
                    HybridboxHttp http = new HybridboxHttp(server.port());
                    long t0 = System.nanoTime();
                    load(http, size);
                    System.out.printf(Locale.ROOT, "%s %,d mailboxes loaded in %.0f s%n", backend, size,
                            (System.nanoTime() - t0) / 1e9);
                    List<Search> plan = plan(new Random(42), size, searches);
                    for (Search s : plan.subList(0, Math.min(20, plan.size()))) list(http, s.text());
                    measure(backend, size, http, plan);
                }
            }
        }
    }

    private static MailroomServer start(Backend backend, Path data) throws Exception {
        MailroomServer.Options o = TestServers.options(backend, data);
        try (InputStream in = SearchBenchmark.class.getResourceAsStream("/seeds/bench-search.yaml")) {
            return MailroomServer.start(new MailroomServer.Options(o.host(), 0, o.dataDir(), o.databaseUrl(),
                    List.of(Seeder.read(in)), false));
        }
    }

    /** Mailbox i: a first and a last name from the lists, local part first.last.i (base 36), so each is unique. */
    static String[] mailbox(int i) {
        String first = FIRST[i % FIRST.length];
        String last = LAST[i / FIRST.length % LAST.length];
        return new String[] {capitalised(first), capitalised(last), first + "." + last + "." + Integer.toString(i, 36)};
    }

    private static void load(HybridboxHttp http, int size) {
        for (int from = 0; from < size; from += BULK) {
            StringBuilder items = new StringBuilder();
            for (int i = from; i < Math.min(size, from + BULK); i++) {
                String[] m = mailbox(i);
                if (i > from) items.append(',');
                items.append("{\"first_name\":\"").append(m[0]).append("\",\"last_name\":\"").append(m[1])
                        .append("\",\"local_part\":\"").append(m[2]).append("\"}");
            }
            FeishuHttp.Response r = http.call(TOKEN, "POST", path(ACCOUNT, "/mailboxes/bulk"),
                    "{\"domain\":\"search.test\",\"items\":[" + items + "]}");
            if (r.status() != 200 || r.json().get("failed").size() != 0) {
                throw new IllegalStateException("bulk failed: " + r.status() + " " + r.text());
            }
        }
    }

    /** A fixed mix, the same for every run with the same seed and size: 40 % address, 30 % name, 30 % random. */
    static List<Search> plan(Random random, int size, int count) {
        List<Search> plan = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int roll = n % 10;
            if (roll < 4) {
                plan.add(new Search(Kind.ADDRESS, mailbox(random.nextInt(size))[2]));
            } else if (roll < 7) {
                plan.add(new Search(Kind.NAME, random.nextBoolean() ? FIRST[random.nextInt(FIRST.length)]
                        : LAST[random.nextInt(LAST.length)]));
            } else {
                plan.add(new Search(Kind.RANDOM, letters(random, 4)));
            }
        }
        for (int n = 0; n < count / 10; n++) plan.add(new Search(Kind.SHORT, letters(random, 1 + n % 2)));
        return plan;
    }

    private static void measure(Backend backend, int size, HybridboxHttp http, List<Search> plan) {
        List<Long> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<Long> nanos = new ArrayList<>();
            for (Search s : plan) {
                if (s.kind() != kind) continue;
                long t0 = System.nanoTime();
                list(http, s.text());
                nanos.add(System.nanoTime() - t0);
            }
            if (kind != Kind.SHORT) all.addAll(nanos);
            print(backend + " " + String.format(Locale.ROOT, "%,d", size) + " " + kind.name().toLowerCase(Locale.ROOT)
                    + ": " + kind.what, nanos);
        }
        print(backend + " " + String.format(Locale.ROOT, "%,d", size) + " ALL (address, name, random)", all);
    }

    private static void list(HybridboxHttp http, String search) {
        FeishuHttp.Response r = http.call(TOKEN, "GET", path(ACCOUNT, "/mailboxes?page_size=25&search="
                + URLEncoder.encode(search, StandardCharsets.UTF_8)), null);
        if (r.status() != 200) throw new IllegalStateException("list failed: " + r.status() + " " + r.text());
    }

    private static void print(String name, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) return;
        System.out.printf(Locale.ROOT, "%-75s p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  (%d searches)%n", name,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6,
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, sorted.length);
    }

    private static String letters(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) ('a' + random.nextInt(26)));
        return b.toString();
    }

    private static String capitalised(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static String[] names(String words) {
        return words.trim().split("\\s+");
    }
}
