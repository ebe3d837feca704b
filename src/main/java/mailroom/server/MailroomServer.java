package mailroom.server;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import mailroom.api.admin.AdminDoor;
import mailroom.api.admin.SandboxDoor;
import mailroom.api.feishu.FeishuDoor;
import mailroom.api.feishu.FeishuTokens;
import mailroom.api.hybridbox.HybridboxDoor;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.directory.tenant.AppSecrets;
import mailroom.directory.webhook.WebhookTargets;
import mailroom.events.EventOptions;
import mailroom.events.JournalRetention;
import mailroom.events.NetworkTargets;
import mailroom.events.WebhookDispatcher;
import mailroom.http.Connections;
import mailroom.http.Door;
import mailroom.http.EarlyRefusals;
import mailroom.http.HeaderTimeout;
import mailroom.http.RequestBodies;
import mailroom.http.RouteSpec;
import mailroom.mta.MtaDoor;
import mailroom.mta.MtaOptions;
import mailroom.sandbox.Sandbox;
import mailroom.sandbox.SandboxClock;
import mailroom.sandbox.SandboxWorlds;
import mailroom.seed.SeedFile;
import mailroom.seed.SeedRules;
import mailroom.seed.Seeder;
import mailroom.store.SqlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the store, builds the directory, every HTTP door and every non-HTTP service,
 * serves the doors over one HTTP server and starts the services beside it.
 */
public final class MailroomServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailroomServer.class);

    /** How long the headers of a request may take after its request line, unless configured. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** How long a connection may wait for its next request, unless configured. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How to run: where to listen, which database, what to provision at start-up, connection timeouts, and
     * the MTA door's listeners (off unless configured), and how the journal is kept and pushed to webhooks.
     */
    public record Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds,
                          boolean rateLimits, Duration headerTimeout, Duration idleTimeout, MtaOptions mta,
                          Path adminTokenFile, EventOptions events, boolean sandbox) {
        public Options {
            if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (mta == null) mta = MtaOptions.OFF;
            if (events == null) events = EventOptions.DEFAULT;
        }

        /** Options of the normal mode (no sandbox controls). */
        public Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds,
                       boolean rateLimits, Duration headerTimeout, Duration idleTimeout, MtaOptions mta,
                       Path adminTokenFile, EventOptions events) {
            this(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta, adminTokenFile, events, false);
        }

        /** In sandbox mode (docs/sandbox.md) or not: the /sandbox/v1 controls and a clock they move. */
        public Options withSandbox(boolean on) {
            return new Options(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta,
                    adminTokenFile, events, on);
        }

        /** Options with the default journal retention and webhook delivery. */
        public Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds,
                       boolean rateLimits, Duration headerTimeout, Duration idleTimeout, MtaOptions mta,
                       Path adminTokenFile) {
            this(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta, adminTokenFile, null);
        }

        /** Options without an admin token file: the operator door has only the tokens already stored. */
        public Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds,
                       boolean rateLimits, Duration headerTimeout, Duration idleTimeout, MtaOptions mta) {
            this(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta, null);
        }

        /** Options without MTA listeners. */
        public Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds,
                       boolean rateLimits, Duration headerTimeout, Duration idleTimeout) {
            this(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, MtaOptions.OFF);
        }

        /** Options with the default timeouts and no MTA listeners. */
        public Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds, boolean rateLimits) {
            this(host, port, dataDir, databaseUrl, seeds, rateLimits, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta,
                    adminTokenFile, events, sandbox);
        }

        public Options withTimeouts(Duration header, Duration idle) {
            return new Options(host, port, dataDir, databaseUrl, seeds, rateLimits, header, idle, mta, adminTokenFile, events, sandbox);
        }

        public Options withMta(MtaOptions newMta) {
            return new Options(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, newMta,
                    adminTokenFile, events, sandbox);
        }

        /** With the file whose first line is a server-wide admin token (generated into it when it does not exist). */
        public Options withAdminTokenFile(Path file) {
            return new Options(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta, file,
                    events, sandbox);
        }

        /** With the journal retention and webhook delivery given. */
        public Options withEvents(EventOptions newEvents) {
            return new Options(host, port, dataDir, databaseUrl, seeds, rateLimits, headerTimeout, idleTimeout, mta,
                    adminTokenFile, newEvents, sandbox);
        }
    }

    /** Longest request line served (64 KiB); longer ones get HTTP 414 from Helidon itself. */
    public static final int MAX_REQUEST_LINE = 64 * 1024;

    private final Metrics metrics;
    private final DirectoryStore store;
    private final Directory directory;
    private final FeishuDoor feishu;
    private final OpsDoor ops;
    private final List<Door> doors;
    private final MtaDoor mta;
    /** Sandbox mode's clock, journal and faults; null in the normal mode. */
    private final Sandbox sandbox;
    private final List<Service> services;
    private final List<Service> started = new ArrayList<>();
    private final HeaderTimeout headerTimeout;
    private final WebServer web;

    static {
        // Helidon logs through java.util.logging; send it to SLF4J/Logback like everything else.
        HelidonLogging.install();
    }

    private MailroomServer(Options options, Clock realClock) {
        // In sandbox mode every part reads the sandbox's clock, which POST /sandbox/v1/clock moves.
        this.sandbox = options.sandbox() ? new Sandbox(new SandboxClock(realClock)) : null;
        Clock clock = sandbox != null ? sandbox.clock() : realClock;
        // Before anything is migrated or provisioned: a port that is taken should cost nothing but the message.
        requireFree("", options.host(), options.port());
        if (options.mta().socketmap() != null) requireFree("socketmap ", options.mta().socketmap().host(), options.mta().socketmap().port());
        if (options.mta().policy() != null) requireFree("policy ", options.mta().policy().host(), options.mta().policy().port());
        // A seed that breaks a rule (an unknown scope, a rate limit for a route that does not exist, an address
        // outside the tenant's domains...) is refused before the store is opened or created: mailroom check-seed
        // applies the same rules.
        try {
            options.seeds().forEach(SeedRules.standard()::requireValid);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(StartupFailure.Kind.SEED, e.getMessage(), e);
        }
        // A SQLite file that does not exist yet holds no hash: the seed's secrets are hashed while it is created.
        AppSecrets hashedAhead = options.databaseUrl() == null && !Files.exists(options.dataDir().resolve("mailroom.db"))
                ? Seeder.prepareForEmptyStore(options.seeds()) : null;
        this.metrics = new Metrics();
        try {
            this.store = options.databaseUrl() == null ? SqlStore.openSqlite(options.dataDir(), metrics.connectionPools())
                    : SqlStore.openPostgres(options.databaseUrl(), metrics.connectionPools());
        } catch (RuntimeException e) {
            metrics.close();
            String where = options.databaseUrl() == null ? options.dataDir().resolve("mailroom.db").toString()
                    : withoutParameters(options.databaseUrl());
            throw new StartupFailure(StartupFailure.Kind.DATABASE, "cannot open database " + where + ": " + StartupFailure.reason(e), e);
        }
        this.headerTimeout = new HeaderTimeout(options.headerTimeout());
        try {
            WebhookTargets webhookTargets = NetworkTargets.of(options.events().webhookNetworks());
            this.directory = new Directory(store, clock, webhookTargets);
            if (sandbox != null) {
                try {
                    SandboxWorlds.prepare(store);
                } catch (IllegalStateException e) {
                    throw new StartupFailure(StartupFailure.Kind.DATABASE, e.getMessage(), e);
                }
            }
            Seeder seeder = new Seeder(directory.tenants());
            // PBKDF2 on the seed's app secrets is the longest step of a start: begin it now, on other threads,
            // and build the doors meanwhile.
            AppSecrets secrets = hashedAhead != null ? hashedAhead : seeder.prepare(options.seeds());
            metrics.addressGauge(store.kind(), directory.addressLookup()::total);
            byte[] candidate = new byte[32];
            new SecureRandom().nextBytes(candidate);
            FeishuTokens tokens = new FeishuTokens(directory.tenants().signingSecret(candidate), clock);
            this.feishu = new FeishuDoor(directory, tokens, options.rateLimits(), clock, metrics);
            this.ops = new OpsDoor(store.kind(), metrics::scrape, metrics, new OpenApiDocuments(this::doorNames),
                    sandbox != null ? "sandbox" : null);
            AdminDoor admin = new AdminDoor(directory, java.util.Set.copyOf(feishu.describeRoutes()), feishu.knownScopes(), clock, metrics);
            metrics.changeFeedGauges(admin.changeFeed()::lastSeq, admin.changeFeed()::openPolls);
            HybridboxDoor hybridbox = new HybridboxDoor(directory, metrics);
            List<Door> all = new ArrayList<>(List.of(ops, feishu, hybridbox, admin));
            SandboxWorlds worlds = null;
            if (sandbox != null) {
                worlds = new SandboxWorlds(sandbox, store, () -> {
                    byte[] fresh = new byte[32];
                    new SecureRandom().nextBytes(fresh);
                    directory.tenants().replaceSigningSecret(fresh);
                    tokens.rekey(fresh);
                }, () -> all.forEach(Door::forget));
                all.add(new SandboxDoor(sandbox, worlds, directory.operatorTokens(), Map.of("feishu", new LinkedHashSet<>(feishu.describeRoutes()),
                        "hybridbox", new LinkedHashSet<>(hybridbox.describeRoutes())), clock, metrics));
            }
            this.doors = List.copyOf(all);
            // Not HTTP: the mail system's listeners, beside the HTTP server.
            this.mta = new MtaDoor(options.mta(), directory.delivery(), metrics);
            metrics.webhookGauges(directory.webhookQueue()::pending, directory.webhookQueue()::disabled);
            List<Service> beside = new ArrayList<>(mta.services());
            beside.add(new JournalRetention(directory.journal(), options.events().journalRetention(), clock));
            beside.add(new WebhookDispatcher(directory.webhookQueue(), directory.journal(), options.events(),
                    webhookTargets, metrics));
            this.services = List.copyOf(beside);
            try {
                options.seeds().forEach(seed -> seeder.apply(seed, secrets));
            } catch (IllegalArgumentException e) {
                throw new StartupFailure(StartupFailure.Kind.SEED, e.getMessage(), e);
            }
            if (options.adminTokenFile() != null) AdminTokenFile.bootstrap(options.adminTokenFile(), directory.operatorTokens());
            if (worlds != null) worlds.seeded();
            this.web = web(options).start();
            // Helidon logs a listener that cannot bind and returns a server that is not running (port -1).
            if (!web.isRunning() || web.port() < 0) {
                throw new StartupFailure(StartupFailure.Kind.LISTEN, "cannot listen on " + options.host() + ":" + options.port(), null);
            }
        } catch (RuntimeException e) {
            headerTimeout.close();
            store.close();
            metrics.close();
            throw e;
        }
        try {
            for (Service service : services) {
                service.start();
                started.add(service);
            }
        } catch (RuntimeException e) {
            close();
            throw new StartupFailure(StartupFailure.Kind.LISTEN, e.getMessage(), e);
        }
        LOG.info("Mailroom serving on http://{}:{} (store: {}{})", options.host(), web.port(), store.kind(),
                sandbox != null ? ", sandbox mode" : "");
    }

    /** Binds and releases the address, so that a taken port is refused in one line with the system's reason. */
    private static void requireFree(String what, String host, int port) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            String reason = StartupFailure.reason(e);
            reason = reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
            throw new StartupFailure(StartupFailure.Kind.LISTEN, "cannot listen " + (what.isEmpty() ? "" : "for " + what)
                    + "on " + host + ":" + port + ": " + reason, e);
        }
    }

    /** A database URL may carry a password among its parameters: never print them. */
    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private WebServer web(Options options) {
        EarlyRefusals early = new EarlyRefusals();
        DirectHandlers.Builder direct = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) direct.addHandler(type, early);
        Duration idle = options.idleTimeout();
        return WebServer.builder()
                .host(options.host())
                .port(options.port())
                // Helidon's default 4 KiB request line would refuse long ids and page tokens with a bare
                // 414 before any door could answer in its own format.
                .addProtocol(Http1Config.builder().maxPrologueLength(MAX_REQUEST_LINE)
                        .addReceiveListener(headerTimeout).build())
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(Duration.ofMillis(Math.max(50, idle.toMillis() / 10)))
                // The socket read timeout only backs up the two above (its default, 30 s, would cut idle
                // keep-alive connections before the idle timeout): it also bounds a stalled body. Without
                // TCP_NODELAY, an answer written in two parts (a page of a list: the headers, then a body of
                // some KB) waited for the client's delayed ACK of the first, up to 40 ms, before the second.
                .connectionOptions(o -> o.readTimeout(idle.plus(options.headerTimeout())).tcpNoDelay(true))
                .maxPayloadSize(RequestBodies.SERVER_LIMIT)
                .directHandlers(direct.build())
                .routing(this::routing)
                .build();
    }

    public static MailroomServer start(Options options) {
        return new MailroomServer(options, Clock.systemUTC());
    }

    public static MailroomServer start(Options options, Clock clock) {
        return new MailroomServer(options, clock);
    }

    private void routing(HttpRouting.Builder http) {
        http.addFilter(Connections.closeWhenAnswered());
        if (sandbox != null) http.addFilter(sandbox.filter());
        doors.forEach(door -> door.register(http));
        http.any(ops.unmatched());
    }

    /** The names of the HTTP doors, in registration order. */
    private List<String> doorNames() {
        return doors.stream().map(Door::name).toList();
    }

    /** Every route of every door, in registration order (the checked-in route table). */
    public List<RouteSpec> routes() {
        return doors.stream().flatMap(d -> d.routes().stream()).toList();
    }

    /** The HTTP server's configuration as built (its socket options, for tests). */
    io.helidon.webserver.WebServerConfig webConfig() {
        return web.prototype();
    }

    public int port() {
        return web.port();
    }

    /** The port of the socketmap listener ({@code --socketmap}); only when configured. */
    public int socketmapPort() {
        return mta.socketmapPort();
    }

    /** The port of the policy listener ({@code --policy}); only when configured. */
    public int policyPort() {
        return mta.policyPort();
    }

    public Directory directory() {
        return directory;
    }

    public FeishuDoor feishu() {
        return feishu;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("service {} did not stop cleanly", started.get(i).name(), e);
            }
        }
        started.clear();
        web.stop();
        headerTimeout.close();
        store.close();
        metrics.close();
    }
}
