package mailroom.bench;

import static mailroom.testing.HybridboxHttp.path;

import java.util.Locale;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers.Backend;

/** Hybridbox provisioning figures: 1000-item bulk creates (one transaction each) and single creates. */
final class HybridboxBenchmark {
    private static final int BULK_ITEMS = 1000;
    private static final String ACCOUNT = "0b0b0b0b-0000-4000-8000-00000000be01";
    private static final String PROVISIONING = "hbx_sa_bench_provisioning";

    private HybridboxBenchmark() {}

    static void run() throws Exception {
        int bulks = Integer.getInteger("bench.bulks", 10);
        int singles = Integer.getInteger("bench.requests", 4000) / 2;
        int clients = Integer.getInteger("bench.clients", 16);
        for (Backend backend : Backend.values()) {
            try (MailroomServer server = Benchmarks.start(backend)) {
                HybridboxHttp http = new HybridboxHttp(server.port());
                bulk(http, "warmup", 0);
                long[] millis = new long[bulks];
                for (int b = 0; b < bulks; b++) {
                    long t0 = System.nanoTime();
                    int created = bulk(http, "b" + b + "x", b);
                    millis[b] = (System.nanoTime() - t0) / 1_000_000;
                    if (created != BULK_ITEMS) throw new IllegalStateException("bulk created only " + created);
                }
                java.util.Arrays.sort(millis);
                System.out.printf(Locale.ROOT, "%-58s median %5d ms  max %5d ms  (%d requests, %.0f mailboxes/s)%n",
                        backend + " Hybridbox bulk create, " + BULK_ITEMS + " items", millis[bulks / 2],
                        millis[bulks - 1], bulks, BULK_ITEMS * 1000.0 / millis[bulks / 2]);
                Benchmarks.report(backend + " Hybridbox create one mailbox", Benchmarks.run(singles, clients, i ->
                        http.call(PROVISIONING, "POST", path(ACCOUNT, "/mailboxes"), "{\"domain\":\"bench-mail.test\","
                                + "\"first_name\":\"One\",\"last_name\":\"By One\",\"local_part\":\"single" + i + "\"}").status() == 201));
                Benchmarks.report(backend + " Hybridbox list mailboxes (page of 25, search)", Benchmarks.run(singles, clients, i ->
                        http.call(PROVISIONING, "GET", path(ACCOUNT, "/mailboxes?search=b" + (i % bulks) + "x1&page_size=25"),
                                null).status() == 200));
            }
        }
    }

    /** One bulk request of {@link #BULK_ITEMS} fresh local parts; answers how many were created. */
    private static int bulk(HybridboxHttp http, String prefix, int round) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < BULK_ITEMS; i++) {
            if (i > 0) items.append(',');
            items.append("{\"first_name\":\"Bulk\",\"last_name\":\"Item ").append(i)
                    .append("\",\"local_part\":\"").append(prefix).append(i).append("\"}");
        }
        FeishuHttp.Response r = http.call(PROVISIONING, "POST", path(ACCOUNT, "/mailboxes/bulk"),
                "{\"domain\":\"bench.test\",\"items\":[" + items + "]}");
        if (r.status() != 200) throw new IllegalStateException("bulk failed: " + r.status() + " " + r.text());
        return r.json().get("created").size();
    }
}
