package mailroom.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import mailroom.seed.SeedFile;
import mailroom.seed.SeedRules;
import mailroom.seed.Seeder;
import mailroom.server.MailroomServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs an embedded Mailroom in sandbox mode for one test class: started on a free port of
 * 127.0.0.1 with the given seed before the first test, put back to the seed before each test, stopped after the
 * last. Its methods are the sandbox controls ({@code /sandbox/v1}), called over HTTP with an admin token, and the
 * seed's credentials.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MailroomSandbox mailroom = MailroomSandbox.withSeed("world.yaml");
 * }</pre>
 */
public final class MailroomSandbox implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {
    private final String seedResource;
    private final Path seedFile;
    private boolean resetBetweenTests = true;
    private boolean rateLimits;

    private SeedFile seed;
    private Path workDir;
    private MailroomServer server;
    private String adminToken;
    private SandboxHttp http;
    /** The test class (its unique id) that started the server: nested classes share it and do not stop it. */
    private String owner;

    private MailroomSandbox(String seedResource, Path seedFile) {
        this.seedResource = seedResource;
        this.seedFile = seedFile;
    }

    /** A sandbox provisioned from a seed file on the test class path, e.g. {@code "world.yaml"} for src/test/resources/world.yaml. */
    public static MailroomSandbox withSeed(String classpathResource) {
        if (classpathResource == null || classpathResource.isBlank()) throw new IllegalArgumentException("name a seed resource");
        return new MailroomSandbox(classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource, null);
    }

    /** A sandbox provisioned from a seed file (YAML or JSON) on disk. */
    public static MailroomSandbox withSeed(Path seedFile) {
        if (seedFile == null) throw new IllegalArgumentException("name a seed file");
        return new MailroomSandbox(null, seedFile);
    }

    /** A sandbox provisioned with the demo seed of {@code mailroom serve --demo}. */
    public static MailroomSandbox withDemoSeed() {
        return new MailroomSandbox(null, null);
    }

    /** Whether each test starts from the seed (the default) or sees what the tests before it left. */
    public MailroomSandbox resetBetweenTests(boolean on) {
        requireNotStarted();
        this.resetBetweenTests = on;
        return this;
    }

    /** Whether the Feishu door enforces the documented rate limits ({@code --rate-limits documented}); off by default. */
    public MailroomSandbox rateLimits(boolean on) {
        requireNotStarted();
        this.rateLimits = on;
        return this;
    }

    private void requireNotStarted() {
        if (server != null) throw new IllegalStateException("the sandbox is already running: configure it where it is registered");
    }

    // ---- the extension's life cycle ----

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (server != null) return;
        start();
        owner = context.getUniqueId();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(owner)) stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            throw new IllegalStateException("MailroomSandbox runs per test class: register it on a static field "
                    + "(@RegisterExtension static final MailroomSandbox ...)");
        }
        // A reset also empties the request journal and the faults and puts the clock back to real time.
        if (resetBetweenTests) reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MailroomSandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    private void start() throws IOException {
        seed = readSeed();
        workDir = Files.createTempDirectory("mailroom-sandbox-");
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        Path tokenFile = workDir.resolve("admin-token");
        try {
            server = MailroomServer.start(new MailroomServer.Options("127.0.0.1", 0, dataDir, null, List.of(seed), rateLimits)
                    .withSandbox(true).withAdminTokenFile(tokenFile));
            adminToken = Files.readAllLines(tokenFile, StandardCharsets.UTF_8).get(0).strip();
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        http = new SandboxHttp(baseUrl(), adminToken);
    }

    /** The seed, read and checked by the rules {@code mailroom check-seed} applies; a refusal names the seed and the place. */
    private SeedFile readSeed() throws IOException {
        if (seedFile == null && seedResource == null) return Seeder.demo();
        String source = seedFile != null ? seedFile.toString() : seedResource;
        InputStream in;
        if (seedFile != null) {
            in = Files.newInputStream(seedFile);
        } else {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) loader = MailroomSandbox.class.getClassLoader();
            in = loader.getResourceAsStream(seedResource);
            if (in == null) throw new IOException("no seed resource " + seedResource + " on the class path (e.g. src/test/resources/" + seedResource + ")");
        }
        try (in) {
            SeedFile read = Seeder.read(in);
            SeedRules.standard().requireValid(read);
            return read;
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("seed " + source + ": " + e.getMessage(), e);
        }
    }

    private void stop() {
        try {
            if (http != null) http.close();
            if (server != null) server.close();
        } finally {
            server = null;
            http = null;
            owner = null;
            if (workDir != null) deleteTree(workDir);
            workDir = null;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the sandbox's directory " + root, e);
        }
    }

    /** The directory of the running server's database and admin token file (deleted when it stops). */
    Path workDir() {
        running();
        return workDir;
    }

    private MailroomServer running() {
        if (server == null) throw new IllegalStateException("the sandbox is not running (it runs from before the first test to after the last)");
        return server;
    }

    private SandboxHttp http() {
        running();
        return http;
    }

    // ---- where it listens and the credentials ----

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}: the Feishu, Hybridbox and operator doors all answer below it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return running().port();
    }

    /** A server-wide operator token of role admin: for {@code /admin/v1} and {@code /sandbox/v1}. */
    public String adminToken() {
        running();
        return adminToken;
    }

    /** Every Feishu app of the seed, in its order. */
    public List<FeishuApp> apps() {
        List<FeishuApp> out = new ArrayList<>();
        for (SeedFile.TenantSeed t : seed().tenants()) {
            if (t.apps() == null) continue;
            for (SeedFile.AppSeed a : t.apps()) out.add(new FeishuApp(a.appId(), a.appSecret(), t.key(), a.scopes()));
        }
        return List.copyOf(out);
    }

    /** The seed's Feishu app with this id; NoSuchElementException when it has none. */
    public FeishuApp app(String appId) {
        return apps().stream().filter(a -> a.appId().equals(appId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("the seed has no Feishu app " + appId + " (it has "
                        + apps().stream().map(FeishuApp::appId).toList() + ")"));
    }

    /** Every Hybridbox service account of the seed, in its order. */
    public List<ServiceAccount> serviceAccounts() {
        List<ServiceAccount> out = new ArrayList<>();
        for (SeedFile.TenantSeed t : seed().tenants()) {
            if (t.hybridbox() == null || t.hybridbox().serviceAccounts() == null) continue;
            for (SeedFile.ServiceAccountSeed s : t.hybridbox().serviceAccounts()) {
                out.add(new ServiceAccount(t.key(), t.hybridbox().accountId(), s.name(), s.token(), s.permissions()));
            }
        }
        return List.copyOf(out);
    }

    /** The seed's service account of this name in this tenant; NoSuchElementException when it has none. */
    public ServiceAccount serviceAccount(String tenantKey, String name) {
        return serviceAccounts().stream().filter(s -> s.tenantKey().equals(tenantKey) && s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("the seed has no service account " + name + " in tenant " + tenantKey));
    }

    private SeedFile seed() {
        running();
        return seed;
    }

    // ---- reset and snapshots ----

    /**
     * Puts the whole store back to the seed (every door's data and the change journal), empties the request journal
     * and the faults, and puts the clock back to real time; issued tokens stay valid, snapshots are kept.
     */
    public ResetResult reset() {
        return reset(false);
    }

    /** As {@link #reset()}; with {@code revokeTokens}, every Feishu token issued before is refused afterwards. */
    public ResetResult reset(boolean revokeTokens) {
        JsonNode answer = http().send("POST", "/sandbox/v1/reset", revokeTokens ? Map.of("revoke_tokens", true) : Map.of());
        return new ResetResult(answer.path("tenants").asInt(), answer.path("took_ms").asLong());
    }

    /** Keeps the store's present state under this name; the answer is the snapshot's id for {@link #restore}. */
    public String snapshot(String name) {
        return http().send("POST", "/sandbox/v1/snapshots", Map.of("name", name)).path("id").asText();
    }

    /** Every snapshot kept. */
    public List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        for (JsonNode item : http().send("GET", "/sandbox/v1/snapshots", null).path("items")) out.add(Snapshot.of(item));
        return List.copyOf(out);
    }

    /** Puts the store back exactly as it was when the snapshot was taken. */
    public void restore(String snapshotId) {
        http().send("POST", "/sandbox/v1/snapshots/" + segment(snapshotId) + "/restore", Map.of());
    }

    public void deleteSnapshot(String snapshotId) {
        http().send("DELETE", "/sandbox/v1/snapshots/" + segment(snapshotId), null);
    }

    // ---- the request journal ----

    /** A read of the request journal: every recorded request unless filtered, newest first. */
    public RequestQuery requests() {
        return new RequestQuery(http(), new LinkedHashMap<>());
    }

    /** Empties the request journal. */
    public void clearRequests() {
        http().send("DELETE", "/sandbox/v1/requests", null);
    }

    // ---- faults ----

    /** Makes the next matching requests get the fault; the answer is its id for {@link #removeFault}. */
    public String inject(Fault fault) {
        return http().send("POST", "/sandbox/v1/faults", fault.body()).path("id").asText();
    }

    /** The faults in place, in the order created (the first whose roll comes up answers a request). */
    public List<InjectedFault> faults() {
        List<InjectedFault> out = new ArrayList<>();
        for (JsonNode item : http().send("GET", "/sandbox/v1/faults", null).path("items")) out.add(InjectedFault.of(item));
        return List.copyOf(out);
    }

    public void removeFault(String faultId) {
        http().send("DELETE", "/sandbox/v1/faults/" + segment(faultId), null);
    }

    public void clearFaults() {
        http().send("DELETE", "/sandbox/v1/faults", null);
    }

    // ---- the clock ----

    /** Moves the server's clock by whole seconds (negative: back); the answer is the server's new now. */
    public Instant advanceClock(Duration by) {
        if (by.getNano() != 0) throw new IllegalArgumentException("the sandbox's clock moves by whole seconds, not " + by);
        return clock(Map.of("advance_s", by.getSeconds()));
    }

    /** Sets the server's clock to this instant, from which it goes on ticking. */
    public Instant setClock(Instant now) {
        return clock(Map.of("set", now.toString()));
    }

    /** Puts the server's clock back to real time. */
    public Instant resetClock() {
        return clock(Map.of("reset", true));
    }

    private Instant clock(Map<String, Object> body) {
        return Json.instant(http().send("POST", "/sandbox/v1/clock", body).path("now"));
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
