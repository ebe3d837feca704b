package mailroom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import mailroom.directory.delivery.DeliveryRules;
import mailroom.events.EventOptions;
import mailroom.mta.ClientNetworks;
import mailroom.mta.HostPort;
import mailroom.mta.MtaOptions;
import mailroom.seed.SeedCheck;
import mailroom.seed.SeedFile;
import mailroom.seed.SeedRules;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import mailroom.server.StartupFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mailroom serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Mailroom server.")
public final class ServeCommand implements Callable<Integer> {
    /** Exit codes a script can tell apart (README, docs/operations.md); picocli also exits 2 on an unknown option. */
    public static final int EXIT_UNEXPECTED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_SEED = 3;
    public static final int EXIT_DATABASE = 4;
    public static final int EXIT_LISTEN = 5;
    public static final int EXIT_ADMIN_TOKEN = 6;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", defaultValue = "./data", description = "Directory of the SQLite file (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--database-url", defaultValue = "${env:MAILROOM_DATABASE_URL}",
            description = "A jdbc:postgresql:// URL to use PostgreSQL instead of SQLite (also MAILROOM_DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--seed", description = "Seed file (YAML or JSON) to provision at start-up; idempotent.")
    Path seed;

    @Option(names = "--demo", description = "Provision the built-in demo tenant and print its credentials.")
    boolean demo;

    @Option(names = "--rate-limits", defaultValue = "documented",
            description = "documented (Feishu's per-endpoint limits) or off (default: ${DEFAULT-VALUE}).")
    String rateLimits;

    @Option(names = "--header-timeout", defaultValue = "10s",
            description = "How long a request's headers may take after its request line, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
    String headerTimeout;

    @Option(names = "--idle-timeout", defaultValue = "60s",
            description = "How long a connection may wait for its next request, e.g. 60s, 2m (default: ${DEFAULT-VALUE}).")
    String idleTimeout;

    @Option(names = "--socketmap", paramLabel = "HOST:PORT",
            description = "Serve Postfix socketmap look-ups (domain, mailbox, alias, senders) here (default: off).")
    String socketmap;

    @Option(names = "--policy", paramLabel = "HOST:PORT",
            description = "Serve the Postfix policy service (who may send to a mail group) here (default: off).")
    String policy;

    @Option(names = "--mta-clients", paramLabel = "CIDR[,CIDR...]", defaultValue = ClientNetworks.DEFAULT,
            description = "Networks whose clients the socketmap and policy listeners answer (default: ${DEFAULT-VALUE}).")
    String mtaClients;

    @Option(names = "--recipient-delimiter", defaultValue = "+",
            description = "Starts an address extension (bob+news@), empty for none (default: ${DEFAULT-VALUE}).")
    String recipientDelimiter;

    @Option(names = "--mta-expansion-limit", paramLabel = "N", defaultValue = "1000",
            description = "Most addresses one mail group may expand to for the MTA (default: ${DEFAULT-VALUE}).")
    int expansionLimit;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File whose first line is an admin token of the operator door; generated (mode 0600) when missing "
                    + "(default: <data dir>/admin-token; required with --database-url).")
    Path adminTokenFile;

    @Option(names = "--journal-retention", paramLabel = "DURATION", defaultValue = "400d",
            description = "How long the change journal (the audit log) keeps an entry, e.g. 400d, 90d, 12h; older entries "
                    + "are pruned in the background (default: ${DEFAULT-VALUE}).")
    String journalRetention;

    @Option(names = "--webhook-networks", paramLabel = "CIDR[,CIDR...]",
            description = "Networks webhook URLs may resolve to; any when not given. Restrict it where webhooks must not "
                    + "reach internal services (default: any).")
    String webhookNetworks;

    @Option(names = "--sandbox", description = "Sandbox mode for integration tests: the /sandbox/v1 controls (request journal, "
            + "faults, a movable clock; docs/sandbox.md). Never in production (default: off).")
    boolean sandbox;

    @Option(names = "--debug", description = "On a failed start, also print the stack trace.")
    boolean debug;

    /** The MTA door's options from the command line; throws IllegalArgumentException with a message for the user. */
    static MtaOptions mtaOptions(String socketmap, String policy, String clients, String delimiter, int expansionLimit) {
        if (expansionLimit < 1) throw new IllegalArgumentException("--mta-expansion-limit must be at least 1");
        return new MtaOptions(socketmap == null ? null : HostPort.parse(socketmap), policy == null ? null : HostPort.parse(policy),
                ClientNetworks.parse(clients), new DeliveryRules(delimiter, expansionLimit));
    }

    /** "500ms", "10s", "2m", or an ISO-8601 duration ("PT10S"); null when it is none of these or not positive. */
    static Duration duration(String text) {
        try {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            Duration d = t.startsWith("p") ? Duration.parse(text.trim())
                    : t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)))
                    : t.endsWith("s") ? Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)))
                    : t.endsWith("m") ? Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)))
                    : null;
            return d == null || d.isNegative() || d.isZero() ? null : d;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A retention: what {@link #duration} reads, and hours or days ("12h", "400d"); null when not a positive one. */
    static Duration retention(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("p") || !t.endsWith("h") && !t.endsWith("d")) return duration(text);
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = t.endsWith("h") ? Duration.ofHours(n) : Duration.ofDays(n);
            return d.isNegative() || d.isZero() ? null : d;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public Integer call() throws Exception {
        Preload.awaitLogging();
        Duration header = duration(headerTimeout);
        Duration idle = duration(idleTimeout);
        if (header == null || idle == null) {
            return refuse(EXIT_USAGE, "--header-timeout and --idle-timeout must be positive durations like 10s, 500ms or 2m", null);
        }
        Duration retention = retention(journalRetention);
        if (retention == null) {
            return refuse(EXIT_USAGE, "--journal-retention must be a positive duration like 400d, 12h or 30m", null);
        }
        if (port < 0 || port > 65535) return refuse(EXIT_USAGE, "--port must be between 0 and 65535", null);
        if (!rateLimits.equals("documented") && !rateLimits.equals("off")) {
            return refuse(EXIT_USAGE, "--rate-limits must be 'documented' or 'off'", null);
        }
        if (databaseUrl != null && !databaseUrl.isBlank() && !databaseUrl.startsWith("jdbc:postgresql:")) {
            return refuse(EXIT_USAGE, "--database-url must be a jdbc:postgresql:// URL", null);
        }
        boolean postgres = databaseUrl != null && !databaseUrl.isBlank();
        if (postgres && adminTokenFile == null) {
            // Nodes sharing one database share no data directory: each must be told where the admin token is.
            return refuse(EXIT_USAGE, "--admin-token-file is required with --database-url", null);
        }
        Path tokenFile = adminTokenFile != null ? adminTokenFile : data.resolve("admin-token");
        if (!postgres) Preload.sqlite();
        MtaOptions mta;
        try {
            mta = mtaOptions(socketmap, policy, mtaClients, recipientDelimiter, expansionLimit);
        } catch (IllegalArgumentException e) {
            return refuse(EXIT_USAGE, e.getMessage(), null);
        }
        EventOptions events = EventOptions.DEFAULT;
        try {
            if (webhookNetworks != null) events = events.withWebhookNetworks(ClientNetworks.parse(webhookNetworks));
        } catch (IllegalArgumentException e) {
            return refuse(EXIT_USAGE, "--webhook-networks: " + e.getMessage(), null);
        }
        List<SeedFile> seeds = new ArrayList<>();
        if (demo) seeds.add(Seeder.demo());
        if (seed != null) {
            if (!Files.isRegularFile(seed)) {
                return refuse(EXIT_SEED, "cannot read seed file " + seed + ": " + (Files.exists(seed) ? "not a file" : "no such file"), null);
            }
            SeedCheck.Result checked;
            try {
                // Read as check-seed reads it: the first problem with its line and field path, and how many more.
                checked = SeedCheck.check(seed, SeedRules.standard());
            } catch (IOException e) {
                return refuse(EXIT_SEED, "cannot read seed file " + seed + ": " + StartupFailure.reason(e), e);
            }
            if (!checked.problems().isEmpty()) {
                int more = checked.problems().size() - 1;
                return refuse(EXIT_SEED, "seed file " + checked.problems().get(0).render(seed.toString())
                        + (more == 0 ? "" : "\nmailroom: " + more + " more problem" + (more == 1 ? "" : "s") + " in " + seed
                        + "; 'mailroom check-seed " + seed + "' lists them all"), null);
            }
            seeds.add(checked.seed());
        }
        MailroomServer server;
        try {
            server = MailroomServer.start(new MailroomServer.Options(host, port, data,
                    databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl, seeds, rateLimits.equals("documented"),
                    header, idle, mta, tokenFile, events.withJournalRetention(retention)).withSandbox(sandbox));
        } catch (StartupFailure e) {
            return switch (e.kind()) {
                case SEED -> refuse(EXIT_SEED, (seed == null ? "demo seed: " : "seed file " + seed + ": ") + e.getMessage(), e);
                case DATABASE -> refuse(EXIT_DATABASE, e.getMessage(), e);
                case LISTEN -> refuse(EXIT_LISTEN, e.getMessage(), e);
                case ADMIN_TOKEN -> refuse(EXIT_ADMIN_TOKEN, e.getMessage(), e);
            };
        } catch (RuntimeException e) {
            return refuse(EXIT_UNEXPECTED, "start-up failed: " + e + (debug ? "" : " (--debug shows where)"), e);
        }
        if (demo) printDemo(server.port(), tokenFile);
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
        } catch (IllegalStateException shuttingDown) {
            // Stopped (SIGTERM) while starting: the JVM is already shutting down, so stop as the hook would have.
            server.close();
            return 0;
        }
        stopped.await();
        return 0;
    }

    /** One line on stderr saying what and where; the stack trace only when asked for with --debug. */
    private int refuse(int exit, String message, Throwable cause) {
        System.err.println("mailroom: " + message);
        if (debug && cause != null) cause.printStackTrace(System.err);
        return exit;
    }

    private void printDemo(int actualPort, Path tokenFile) {
        String base = "http://" + host + ":" + actualPort;
        System.out.print("""
                Demo tenant provisioned.
                  Feishu base URL      %s
                  app_id / app_secret  cli_demo00000001 / demo-secret
                  domains              demo.test, demo-mail.test
                  users (open_id)      ou_100 alice@demo.test, ou_200 bob@demo.test, ou_300 carol@demo.test
                  Hybridbox            %s/v1/public/accounts/6f1c2a4e-3b7d-4c8e-9a10-2b3c4d5e6f70
                  Hybridbox token      hbx_sa_demo_provisioning
                  Admin token file     %s (%s/admin/v1)
                """.formatted(base, base, tokenFile, base));
    }
}
