package mailroom.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import mailroom.directory.Caller;
import mailroom.directory.delivery.AliasAnswer.Kind;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.directory.delivery.SendDecision.Verdict;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.MailGroups;
import mailroom.directory.mailgroup.MemberList;
import mailroom.directory.mailgroup.MemberSpec;
import mailroom.directory.mailgroup.MemberType;
import mailroom.directory.mailgroup.WhoCanSend;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.directory.tenant.User;
import mailroom.directory.tenant.UserIdKind;
import mailroom.directory.tenant.UserRef;
import mailroom.server.MailroomServer;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;

/**
 * The MTA door's figures: socketmap look-ups and policy decisions per second with p50/p99, 32 concurrent
 * connections each sending one request at a time, on SQLite and PostgreSQL (docs/performance.md): at
 * saturation, and with requests offered at a fixed rate. Each figure is the median of several runs. Run with
 * {@code scripts/benchmark.sh mta}.
 */
public final class MtaBenchmark {
    private static final int USERS = 1000;
    private static final Caller SEED = Caller.seed("acme");

    private MtaBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 20_000);
        int connections = Integer.getInteger("bench.connections", 32);
        int rounds = Integer.getInteger("bench.rounds", 3);
        System.out.printf(Locale.ROOT, "MTA door: %d requests per run, %d connections, median of %d runs, %d cores%n",
                requests, connections, rounds, Runtime.getRuntime().availableProcessors());
        String external = System.getProperty("bench.external");
        if (external != null) {
            // A server in another process (scripts/benchmark.sh mta-split): socketmap and policy ports.
            String[] ports = external.split(":");
            measureAll("external", Integer.parseInt(ports[0]), Integer.parseInt(ports[1]), requests, connections, rounds);
            return;
        }
        for (Backend backend : backends()) {
            try (MailroomServer server = TestServers.startWithMta(backend, DeliveryRules.DEFAULTS, "127.0.0.0/8")) {
                provision(server);
                if (Boolean.getBoolean("bench.direct")) {
                    direct(backend.toString(), server, requests, rounds);
                    continue;
                }
                measureAll(backend.toString(), server.socketmapPort(), server.policyPort(), requests, connections, rounds);
            }
        }
    }

    /** Runs a provisioned server until killed, printing its two MTA ports, for a load generator elsewhere. */
    public static final class Server {
        private Server() {}

        public static void main(String[] args) throws Exception {
            Backend backend = Backend.valueOf(System.getProperty("bench.backend", "SQLITE"));
            MailroomServer server = TestServers.startWithMta(backend, DeliveryRules.DEFAULTS, "127.0.0.0/8");
            provision(server);
            System.out.println("ports " + server.socketmapPort() + ":" + server.policyPort());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void measureAll(String label, int port, int policy, int requests, int connections, int rounds)
            throws Exception {
        // -Dbench.figures=mailbox,alias,unknown,group,policy picks some (default all); -Dbench.rate=N (look-ups a second offered,
        // 0 for none) adds each figure's latency at that fixed rate; -Dbench.groupRate=N the group's (default 1000).
        String picked = System.getProperty("bench.figures");
        int rate = Integer.getInteger("bench.rate", 20_000);
        int groupRate = Integer.getInteger("bench.groupRate", 1_000);
        double seconds = Double.parseDouble(System.getProperty("bench.rateSeconds", "3"));
        List<Figure> all = List.of(
                new Figure("mailbox", label + " socketmap mailbox (user mailbox)", port, requests, rate,
                        i -> socketmap("mailbox b" + (i % USERS) + "@acme.test"), "OK "),
                new Figure("alias", label + " socketmap alias (user alias)", port, requests, rate,
                        i -> socketmap("alias a" + (i % USERS) + "@acme-mail.test"), "OK "),
                new Figure("unknown", label + " socketmap alias (unknown address)", port, requests, rate,
                        i -> socketmap("alias nobody" + i + "@acme.test"), "NOTFOUND "),
                new Figure("group", label + " socketmap alias (1000-member group)", port, requests / 20, groupRate,
                        i -> socketmap("alias everyone@acme.test"), "OK "),
                new Figure("policy", label + " policy decision (ALL_INTERNAL_USERS group)", policy, requests, rate,
                        i -> policy("b" + (i % USERS) + "@acme.test"), "action=DUNNO"));
        for (Figure f : all) {
            if (picked != null && !Arrays.asList(picked.split(",")).contains(f.key())) continue;
            measure(f.name(), rounds, () -> run(f.port(), f.requests(), connections, f.request(), f.expected(), 0));
            if (f.rate() > 0) {
                int count = (int) Math.max(1, f.rate() * seconds);
                measure(f.name() + " @" + f.rate() + "/s", rounds,
                        () -> run(f.port(), count, connections, f.request(), f.expected(), f.rate()));
            }
        }
    }

    /** One figure: which look-up, on which port, how many requests closed-loop, and the rate it is offered open-loop. */
    private record Figure(String key, String name, int port, int requests, int rate, IntFunction<String> request,
                          String expected) {}

    /**
     * The directory's own cost of a look-up, without sockets: one thread calling the core operations in a
     * loop (-Dbench.direct=true), CPU microseconds per call, median of the rounds. Less noisy than the
     * throughput runs, so it is the figure to compare when changing the read path.
     */
    private static void direct(String label, MailroomServer server, int requests, int rounds) {
        var delivery = server.directory().delivery();
        measureDirect(label + " direct mailbox", requests, rounds,
                i -> delivery.mailbox("b" + (i % USERS) + "@acme.test", DeliveryRules.DEFAULTS).isPresent());
        measureDirect(label + " direct alias (user alias)", requests, rounds,
                i -> delivery.alias("a" + (i % USERS) + "@acme-mail.test", DeliveryRules.DEFAULTS).kind() == Kind.TARGETS);
        measureDirect(label + " direct alias (unknown address)", requests, rounds,
                i -> delivery.alias("nobody" + i + "@acme.test", DeliveryRules.DEFAULTS).kind() == Kind.NOT_FOUND);
        measureDirect(label + " direct alias (1000-member group)", requests / 20, rounds,
                i -> delivery.alias("everyone@acme.test", DeliveryRules.DEFAULTS).kind() == Kind.TARGETS);
        measureDirect(label + " direct policy (ALL_INTERNAL_USERS group)", requests, rounds,
                i -> delivery.maySend("staff@acme.test", "b" + (i % USERS) + "@acme.test", "b" + (i % USERS) + "@acme.test",
                        DeliveryRules.DEFAULTS).verdict() == Verdict.ALLOWED);
    }

    private static void measureDirect(String name, int count, int rounds, IntPredicate call) {
        // CPU time of this thread, not wall time: on a shared machine it hardly moves with the neighbours' load.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> micros = new ArrayList<>();
        int failures = 0;
        for (int round = -1; round < rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) if (!call.test(i)) failures++;
            if (round >= 0) micros.add((threads.getCurrentThreadCpuTime() - start) / 1e3 / count);
        }
        List<Double> sorted = micros.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%-62s %8.1f us CPU/call  (runs: %s; %d unexpected answers)%n", name,
                sorted.get(rounds / 2), micros.stream().map(m -> String.format(Locale.ROOT, "%.1f", m)).toList(), failures);
    }

    /** The databases to measure: -Dbench.backends=SQLITE,POSTGRESQL (the default, both). */
    private static List<Backend> backends() {
        return Arrays.stream(System.getProperty("bench.backends", "SQLITE,POSTGRESQL").split(","))
                .map(b -> Backend.valueOf(b.trim())).toList();
    }

    /** 1000 users with mailboxes and an alias each, and a group with all of them as USER members. */
    private static void provision(MailroomServer server) {
        Tenants tenants = server.directory().tenants();
        Tenant acme = tenants.find("acme").orElseThrow();
        List<Tenants.UserSpec> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(new Tenants.UserSpec(new User(null, "acme", "b" + i, "ou_b" + i, "on_b" + i, "Bench User" + i),
                    "b" + i + "@acme.test", List.of()));
        }
        tenants.provision(SEED, new Tenants.TenantSpec(acme, List.of("acme.test", "acme-mail.test"), List.of(), users,
                List.of(), List.of()));
        for (int i = 0; i < USERS; i++) {
            server.directory().mailboxes().aliases().add(SEED, "b" + i + "@acme.test", "a" + i + "@acme-mail.test");
        }
        MailGroups groups = server.directory().mailGroups();
        MailGroup everyone = groups.create(SEED, new MailGroups.Fields("everyone@acme.test", null, null, WhoCanSend.ANYONE));
        List<MemberSpec> members = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            members.add(new MemberSpec(MemberType.USER, new UserRef(UserIdKind.USER_ID, "b" + i), null, null));
        }
        groups.addMembers(SEED, everyone.id(), MemberList.MEMBERS, members);
        groups.create(SEED, new MailGroups.Fields("staff@acme.test", null, null, WhoCanSend.ALL_INTERNAL_USERS));
        groups.addMembers(SEED, groups.get(SEED, "staff@acme.test").id(), MemberList.MEMBERS, members.subList(0, 10));
    }

    private static String socketmap(String request) {
        return request.getBytes(StandardCharsets.UTF_8).length + ":" + request + ",";
    }

    private static String policy(String login) {
        return "request=smtpd_access_policy\nprotocol_state=RCPT\nsasl_username=" + login + "\nsender=" + login
                + "\nrecipient=staff@acme.test\n\n";
    }

    /** One measured run: requests shared among the connections; answers req/s and sorted latencies. */
    record Result(double perSecond, long[] sortedNanos, int failures) {}

    @FunctionalInterface
    interface Run {
        Result go() throws Exception;
    }

    private static void measure(String name, int rounds, Run run) throws Exception {
        run.go(); // warm-up: JIT, pools, statement caches
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < rounds; i++) results.add(run.go());
        results.sort((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
        Result median = results.get(rounds / 2);
        long[] s = median.sortedNanos();
        int failures = results.stream().mapToInt(Result::failures).sum();
        System.out.printf(Locale.ROOT, "%-62s %8.0f /s  p50 %6.2f ms  p99 %6.2f ms  (runs: %s /s; %d unexpected answers)%n",
                name, median.perSecond(), s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6,
                results.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList(), failures);
    }

    /**
     * One measured run: requests shared among the connections; answers req/s and sorted latencies. With
     * {@code rate} 0 each connection sends its next request as soon as it has the answer (closed loop: the
     * throughput at saturation). With a rate, request i is due at start + i / rate and goes out on its
     * connection no earlier; its latency counts from when it was due, so a server that falls behind is charged
     * the waiting too (no coordinated omission), as a Postfix with mail arriving at that rate would see it.
     */
    private static Result run(int port, int count, int connections, IntFunction<String> request, String expectedPrefix,
                              int rate) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger failures = new AtomicInteger();
        boolean policy = expectedPrefix.startsWith("action=");
        AtomicInteger next = new AtomicInteger();
        double nanosApart = rate > 0 ? 1e9 / rate : 0;
        long start = System.nanoTime() + (rate > 0 ? 20_000_000 : 0); // open loop: every connection open before the first is due
        try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int connection = c;
                futures.add(pool.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        socket.setTcpNoDelay(true);
                        // Buffered, or the load generator spends a system call per byte of every answer.
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        // Open loop: connection c sends requests c, c + connections, ...; closed loop: whichever is next.
                        for (int i = rate > 0 ? connection : next.getAndIncrement(); i < count;
                             i = rate > 0 ? i + connections : next.getAndIncrement()) {
                            long due = rate > 0 ? start + (long) (i * nanosApart) : System.nanoTime();
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                            out.write(request.apply(i).getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            String answer = policy ? readPolicy(in) : readNetstring(in);
                            latencies[i] = System.nanoTime() - due;
                            if (!answer.startsWith(expectedPrefix)) failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Result(count / seconds, latencies, failures.get());
    }

    private static String readNetstring(InputStream in) throws IOException {
        int length = 0;
        for (int b = in.read(); b != ':'; b = in.read()) {
            if (b < '0' || b > '9') throw new IOException("bad netstring length");
            length = length * 10 + (b - '0');
        }
        byte[] payload = in.readNBytes(length);
        if (in.read() != ',') throw new IOException("netstring without its comma");
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static String readPolicy(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        int newlines = 0;
        while (newlines < 2) {
            int b = in.read();
            if (b < 0) throw new IOException("policy connection closed");
            answer.append((char) b);
            newlines = b == '\n' ? newlines + 1 : 0;
        }
        return answer.toString().trim();
    }
}
