package mailroom.bench;

import static mailroom.testing.HybridboxHttp.path;
import static mailroom.testing.TestCallers.as;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * Whether a write gets slower as the tenant fills up: the time of each 1000-item Hybridbox bulk create while
 * the tenant's mailboxes grow, and of single member adds while one mail group grows. A write whose limit
 * check counts rows slows down with every row; one that reads a counter does not. Printed, not asserted
 * (the figures are in docs/adr/0007-usage-counters.md).
 *
 * <p>{@code -Dbench.bulks=20 -Dbench.members=5000 -Dbench.backend=SQLITE|POSTGRESQL} (default: both). At the end of
 * each section the limit check's own query is timed at the size reached, so its share is visible through the noise.
 */
public final class GrowthBenchmark {
    private static final int BULK_ITEMS = 1000;
    private static final String ACCOUNT = "0b0b0b0b-0000-4000-8000-00000000be01";
    private static final String PROVISIONING = "hbx_sa_bench_provisioning";
    /** Requests before the measured ones, so that the first figures are not the JIT's. */
    private static final int WARM_UP_BULKS = 5;
    private static final int WARM_UP_MEMBERS = 500;

    /** The growing group's id as an SQL expression, for the check's own timing. */
    private static final String GROUP = "(SELECT id FROM mail_group WHERE email = 'growing@bench.test')";

    private GrowthBenchmark() {}

    /**
     * The limit check alone at the size reached: the COUNT(*) that checks used to run against the counter row that
     * they read now (absent before the counters existed), each the median of 9 runs on a connection of its own.
     */
    private static void checkCost(String name, String jdbcUrl, String count, String counted, String scope) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            String counter = "SELECT value FROM usage_counter WHERE counted = '" + counted + "' AND scope_id = " + scope;
            double counterMs;
            try {
                counterMs = medianMillis(c, counter);
            } catch (SQLException noCounters) {
                counterMs = Double.NaN;
            }
            System.out.printf(Locale.ROOT, "%-46s COUNT(*) %7.2f ms, counter row %5.2f ms%n", name, medianMillis(c, count), counterMs);
        }
    }

    private static double medianMillis(Connection c, String sql) throws SQLException {
        long[] nanos = new long[9];
        try (Statement s = c.createStatement()) {
            for (int i = -2; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                }
                if (i >= 0) nanos[i] = System.nanoTime() - t0;
            }
        }
        return median(nanos) / 1e6;
    }

    public static void main(String[] args) throws Exception {
        int bulks = Integer.getInteger("bench.bulks", 20);
        int members = Integer.getInteger("bench.members", 5000);
        String only = System.getProperty("bench.backend");
        System.out.printf(Locale.ROOT, "Growth: %d bulks of %d mailboxes, %d member adds to one group, %d cores%n",
                bulks, BULK_ITEMS, members, Runtime.getRuntime().availableProcessors());
        for (Backend backend : Backend.values()) {
            if (only != null && !only.equalsIgnoreCase(backend.name())) continue;
            try (BenchData data = BenchData.create("mailroom-growth-bench")) {
                MailroomServer.Options o = TestServers.options(backend, data.dir());
                SeedFile seed;
                try (var in = GrowthBenchmark.class.getResourceAsStream("/seeds/bench.yaml")) {
                    seed = Seeder.read(in);
                }
                String jdbcUrl = backend == Backend.SQLITE ? "jdbc:sqlite:" + o.dataDir().resolve("mailroom.db") : o.databaseUrl();
                try (MailroomServer server = MailroomServer.start(
                        new MailroomServer.Options(o.host(), 0, o.dataDir(), o.databaseUrl(), List.of(seed), false))) {
                    bulks(backend, new HybridboxHttp(server.port()), bulks);
                    checkCost(backend + " mailbox limit check", jdbcUrl, "SELECT COUNT(*) FROM user_mailbox"
                            + " WHERE tenant_key = 'bench' AND status <> 'RECYCLED'", "TENANT_USER_MAILBOXES", "'bench'");
                    if (members > 0) {
                        memberAdds(backend, server, members);
                        checkCost(backend + " member limit check", jdbcUrl, "SELECT COUNT(*) FROM mail_group_member"
                                + " WHERE mail_group_id = " + GROUP, "GROUP_MEMBERS", GROUP);
                    }
                }
            }
        }
    }

    private static void bulks(Backend backend, HybridboxHttp http, int bulks) {
        for (int w = 0; w < WARM_UP_BULKS; w++) bulk(http, "bench-mail.test", "warm" + w + "x");
        long[] micros = new long[bulks];
        for (int b = 0; b < bulks; b++) {
            long t0 = System.nanoTime();
            int created = bulk(http, "bench.test", "b" + b + "x");
            micros[b] = (System.nanoTime() - t0) / 1000;
            if (created != BULK_ITEMS) throw new IllegalStateException("bulk created only " + created);
        }
        report(backend + " Hybridbox bulk create of " + BULK_ITEMS, micros, (long) WARM_UP_BULKS * BULK_ITEMS, BULK_ITEMS,
                "mailboxes");
    }

    private static void memberAdds(Backend backend, MailroomServer server, int members) {
        MailGroups groups = server.directory().mailGroups();
        String group = groups.create(as("bench"), new MailGroups.Fields("growing@bench.test", "Growing", null, null)).id();
        for (int i = 0; i < WARM_UP_MEMBERS; i++) add(groups, group, "warm" + i);
        long[] micros = new long[members];
        for (int i = 0; i < members; i++) {
            long t0 = System.nanoTime();
            add(groups, group, "m" + i);
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        report(backend + " add one member to a growing group", micros, WARM_UP_MEMBERS, 1, "members");
    }

    private static void add(MailGroups groups, String group, String local) {
        groups.addMembers(as("bench"), group, MemberList.MEMBERS,
                List.of(new MemberSpec(MemberType.EXTERNAL_USER, null, null, local + "@elsewhere.test")));
    }

    /**
     * The requests cut into ten runs in order, each run's median with how many rows the tenant (or group) held
     * before it, and the last run's median against the first's.
     */
    private static void report(String name, long[] micros, long rowsBefore, int rowsPerRequest, String rows) {
        int runs = Math.min(10, micros.length);
        StringBuilder curve = new StringBuilder();
        double first = 0;
        double last = 0;
        for (int k = 0; k < runs; k++) {
            int from = k * micros.length / runs;
            int to = (k + 1) * micros.length / runs;
            last = median(Arrays.copyOfRange(micros, from, to)) / 1000.0;
            if (k == 0) first = last;
            curve.append(String.format(Locale.ROOT, "  %d: %.1f", rowsBefore + (long) from * rowsPerRequest, last));
        }
        System.out.printf(Locale.ROOT, "%-46s first run %7.2f ms, last run %7.2f ms (x%.2f), %d requests in %.1f s%n",
                name, first, last, last / first, micros.length, Arrays.stream(micros).sum() / 1e6);
        System.out.println("  median ms by " + rows + " already there:" + curve);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One bulk request of {@link #BULK_ITEMS} fresh local parts; answers how many were created. */
    private static int bulk(HybridboxHttp http, String domain, String prefix) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < BULK_ITEMS; i++) {
            if (i > 0) items.append(',');
            items.append("{\"first_name\":\"Bulk\",\"last_name\":\"Item ").append(i)
                    .append("\",\"local_part\":\"").append(prefix).append(i).append("\"}");
        }
        FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACCOUNT, "/mailboxes/bulk"),
                "{\"domain\":\"" + domain + "\",\"items\":[" + items + "]}");
        if (r.status() != 200) throw new IllegalStateException("bulk failed: " + r.status() + " " + r.text());
        return r.json().get("created").size();
    }
}
