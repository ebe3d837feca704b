package mailroom.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mailroom.api.feishu.FeishuDoor;
import mailroom.api.feishu.FeishuRouter;
import mailroom.api.feishu.FeishuTokens;
import mailroom.api.hybridbox.HybridboxDoor;
import mailroom.http.Json;
import mailroom.http.RequestMetrics;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.store.SqlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: opens the store, builds the directory and every door, and serves them over HTTP. */
public final class MailroomServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailroomServer.class);

    /** How to run: where to listen, which database, what to provision at start-up. */
    public record Options(String host, int port, Path dataDir, String databaseUrl, List<SeedFile> seeds,
                          boolean rateLimits) {
        public Options withPort(int newPort) {
            return new Options(host, newPort, dataDir, databaseUrl, seeds, rateLimits);
        }
    }

    /** The body of GET /healthz, in this field order. */
    record Health(String status, String store) {}

    /** Longest request line served (64 KiB); longer ones get HTTP 414 from Helidon itself. */
    public static final int MAX_REQUEST_LINE = 64 * 1024;

    private final Metrics metrics;
    private final DirectoryStore store;
    private final Directory directory;
    private final FeishuDoor feishu;
    private final WebServer web;

    static {
        // Helidon logs through java.util.logging; send it to SLF4J/Logback like everything else.
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    private MailroomServer(Options options, Clock clock) {
        this.metrics = new Metrics();
        try {
            this.store = options.databaseUrl() == null ? SqlStore.openSqlite(options.dataDir(), metrics.connectionPools())
                    : SqlStore.openPostgres(options.databaseUrl(), metrics.connectionPools());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        try {
            this.directory = new Directory(store, clock);
            metrics.addressGauge(store.kind(), directory.addressLookup()::total);
            byte[] candidate = new byte[32];
            new SecureRandom().nextBytes(candidate);
            FeishuTokens tokens = new FeishuTokens(directory.tenants().signingSecret(candidate), clock);
            FeishuRouter.RateGate rateGate = options.rateLimits() ? new RateLimits(directory.tenants(), clock)
                    : (route, app) -> java.util.Optional.empty();
            this.feishu = new FeishuDoor(directory, tokens, rateGate, metrics);
            Seeder seeder = new Seeder(directory.tenants());
            options.seeds().forEach(seed -> requireKnownRateLimitRoutes(seed, feishu.describeRoutes()));
            options.seeds().forEach(seeder::apply);
            this.web = WebServer.builder()
                    .host(options.host())
                    .port(options.port())
                    // Helidon's default 4 KiB request line would refuse long ids and page tokens with a bare
                    // 414 before any door could answer in its own format.
                    .addProtocol(io.helidon.webserver.http1.Http1Config.builder()
                            .maxPrologueLength(MAX_REQUEST_LINE).build())
                    .routing(this::routing)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            store.close();
            metrics.close();
            throw e;
        }
        LOG.info("Mailroom serving on http://{}:{} (store: {})", options.host(), web.port(), store.kind());
    }

    /** A rate-limit override for a route that does not exist would silently do nothing: refuse the seed. */
    private static void requireKnownRateLimitRoutes(SeedFile seed, List<String> routes) {
        for (SeedFile.TenantSeed t : seed.tenants()) {
            if (t.rateLimits() == null) continue;
            for (String endpoint : t.rateLimits().keySet()) {
                if (!routes.contains(endpoint)) {
                    throw new IllegalArgumentException("seed: rate_limits of tenant " + t.key() + " names '" + endpoint
                            + "', which is not a Feishu route (write it like \"POST /open-apis/mail/v1/public_mailboxes\")");
                }
            }
        }
    }

    public static MailroomServer start(Options options) {
        return new MailroomServer(options, Clock.systemUTC());
    }

    public static MailroomServer start(Options options, Clock clock) {
        return new MailroomServer(options, clock);
    }

    private void routing(HttpRouting.Builder http) {
        http.get("/healthz", counted("GET /healthz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(Json.bytes(new Health("ok", store.kind())));
        }));
        http.get("/metrics", counted("GET /metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, Metrics.CONTENT_TYPE);
            res.send(metrics.scrape());
        }));
        feishu.register(http);
        new HybridboxDoor(directory, metrics).register(http);
        // Like the real platform: unknown paths are a plain-text 404. One series for all of them, whatever the path.
        http.any(counted(RequestMetrics.UNMATCHED, (req, res) -> {
            res.status(Status.NOT_FOUND_404);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("404 page not found");
        }));
    }

    /** Times the server's own routes (door "other") under a fixed route label, with the status their handler set. */
    private Handler counted(String route, Handler handler) {
        return (req, res) -> {
            long started = System.nanoTime();
            try {
                handler.handle(req, res);
            } finally {
                metrics.served("other", route, res.status().code(), "", started);
            }
        };
    }

    public int port() {
        return web.port();
    }

    public Directory directory() {
        return directory;
    }

    public FeishuDoor feishu() {
        return feishu;
    }

    @Override
    public void close() {
        web.stop();
        store.close();
        metrics.close();
    }
}
