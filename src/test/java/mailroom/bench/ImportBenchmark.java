package mailroom.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mailroom.directory.Caller;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.Tenants;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * How long the operator door's CSV import of 100,000 users takes (each with a user mailbox and one or two
 * departments) in one request: rehearsed (dry run) on the empty tenant, imported, then imported again (every row
 * already as the file says). Each run is the whole request: upload, CSV parsing, the directory's rules, the
 * batches' durable commits and the journal. Printed, not asserted (docs/performance.md, ADR 0016).
 *
 * <p>{@code scripts/benchmark.sh import [-Dbench.users=100000] [-Dbench.backend=SQLITE|POSTGRESQL]} (default: both).
 */
public final class ImportBenchmark {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private ImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("bench.users", 100_000);
        String only = System.getProperty("bench.backend");
        System.out.printf(Locale.ROOT, "CSV import benchmark: %d users in one request, %d cores%n", users,
                Runtime.getRuntime().availableProcessors());
        String csv = usersCsv(users);
        System.out.printf(Locale.ROOT, "file: %.1f MiB%n", csv.length() / 1024.0 / 1024.0);
        for (Backend backend : Backend.values()) {
            if (only != null && !only.equalsIgnoreCase(backend.name())) continue;
            try (BenchData data = BenchData.create("mailroom-import-bench")) {
                Path dir = data.dir();
                Path tokenFile = dir.resolve("admin-token");
                MailroomServer.Options o = TestServers.options(backend, dir);
                MailroomServer.Options options;
                try (var in = ImportBenchmark.class.getResourceAsStream("/seeds/bench.yaml")) {
                    options = new MailroomServer.Options(o.host(), 0, o.dataDir(), o.databaseUrl(), List.of(Seeder.read(in)), false)
                            .withAdminTokenFile(tokenFile);
                }
                try (MailroomServer server = MailroomServer.start(options)) {
                    departments(server);
                    String token = Files.readString(tokenFile).trim();
                    String base = "http://127.0.0.1:" + server.port() + "/admin/v1/tenants/bench/import?kind=users";
                    warmUp(base, token);
                    run(backend + " dry run (rehearsed, nothing kept)", base + "&dry_run=true", token, csv);
                    run(backend + " import", base, token, csv);
                    run(backend + " import again (every row unchanged)", base, token, csv);
                }
            }
        }
    }

    /** The bench tenant's departments D1..D10 (departments are not an import kind). */
    private static void departments(MailroomServer server) {
        Tenants tenants = server.directory().tenants();
        List<Department> departments = new ArrayList<>();
        for (int i = 1; i <= 10; i++) departments.add(new Department("bench", "D" + i, "od-" + i, "Department " + i, null));
        tenants.provision(Caller.seed("bench"), new Tenants.TenantSpec(tenants.find("bench").orElseThrow(),
                List.of("bench.test", "bench-mail.test"), departments, List.of(), List.of(), List.of()));
    }

    static String usersCsv(int users) {
        StringBuilder out = new StringBuilder(users * 80).append("user_id,name,email,departments,open_id,union_id\n");
        for (int i = 1; i <= users; i++) {
            String n = String.format(Locale.ROOT, "%06d", i);
            String departments = "D" + (i % 10 + 1) + (i % 3 == 0 ? ";D" + ((i + 5) % 10 + 1) : "");
            out.append("u").append(n).append(",User ").append(n).append(",u").append(n).append("@bench.test,")
                    .append(departments).append(",ou_u").append(n).append(",on_u").append(n).append('\n');
        }
        return out.toString();
    }

    /** A few small imports into the bench tenant first, so that the figures are not the JIT's. */
    private static void warmUp(String base, String token) throws Exception {
        for (int round = 0; round < 5; round++) {
            StringBuilder csv = new StringBuilder("user_id,name,email,departments\n");
            for (int i = 0; i < 2000; i++) csv.append("w").append(round).append('-').append(i).append(",Warm ").append(i).append(",w")
                    .append(round).append('-').append(i).append("@bench-mail.test,D1\n");
            send(base + "&dry_run=true", token, csv.toString());
        }
    }

    /**
     * One timed request. Beside the wall time it prints the CPU time this JVM (client and server) spent meanwhile
     * and the machine's load average: on a shared machine the wall time is mostly waiting for a core, and the
     * CPU time tells what the same run needs where it has one.
     */
    private static void run(String name, String url, String token, String csv) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        FeishuHttp.Response r = send(url, token, csv);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        var json = r.json();
        System.out.printf(Locale.ROOT, "%-44s %6.2f s (%6.0f rows/s), CPU %6.2f s, load %4.1f; status %d, created %d, updated %d,"
                + " failed %d%n", name, seconds, json.get("rows").asInt() / seconds, cpu, os.getSystemLoadAverage(), r.status(),
                json.get("created").asInt(), json.get("updated").asInt(), json.get("failed").size());
    }

    private static FeishuHttp.Response send(String url, String token, String csv) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new FeishuHttp.Response(r.statusCode(), java.util.Map.of(), r.body());
    }
}
