package mailroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import mailroom.server.MailroomServer;

/** A real server with an operator door and its bootstrap admin token, for the admin door's tests. */
public final class AdminHttp implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final MailroomServer server;
    private final MailroomServer.Options options;
    private final String adminToken;
    private final FeishuHttp http;

    private AdminHttp(MailroomServer server, MailroomServer.Options options, String adminToken) {
        this.server = server;
        this.options = options;
        this.adminToken = adminToken;
        this.http = new FeishuHttp(server.port());
    }

    /** A new server on a fresh database of the backend, seeded with the contract seed, with a generated admin token. */
    public static AdminHttp start(TestServers.Backend backend) {
        return start(backend, Clock.systemUTC(), o -> o);
    }

    /** As {@link #start(TestServers.Backend)}, on the clock given, with the options changed by {@code tune}. */
    public static AdminHttp start(TestServers.Backend backend, Clock clock, UnaryOperator<MailroomServer.Options> tune) {
        try {
            Path dir = Files.createTempDirectory("mailroom-admin");
            Path tokenFile = dir.resolve("admin-token");
            MailroomServer.Options options = tune.apply(TestServers.options(backend, dir).withAdminTokenFile(tokenFile));
            MailroomServer server = MailroomServer.start(options, clock);
            return new AdminHttp(server, options, Files.readString(tokenFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MailroomServer server() {
        return server;
    }

    /** How the server was started: its data directory (SQLite) or database URL (PostgreSQL). */
    public MailroomServer.Options options() {
        return options;
    }

    /** The bootstrap admin token (server-wide, role admin). */
    public String adminToken() {
        return adminToken;
    }

    /** Sends with the bootstrap admin token. */
    public FeishuHttp.Response send(String method, String path, String body) {
        return http.send(method, path, "Bearer " + adminToken, body);
    }

    /** Sends with the given Authorization header value (null: none). */
    public FeishuHttp.Response sendAs(String authorization, String method, String path, String body) {
        return http.send(method, path, authorization, body);
    }

    /** Sends a body of the given Content-Type (null: none) with the given Authorization header value (null: none). */
    public FeishuHttp.Response sendAs(String authorization, String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (authorization != null) b.header("Authorization", authorization);
        return FeishuHttp.exchange(CLIENT, b);
    }

    /** Posts a CSV file to the tenant's import with the bootstrap admin token ({@code query}: "kind=…[&dry_run=true]"). */
    public FeishuHttp.Response importCsv(String tenant, String query, String csv) {
        return sendAs("Bearer " + adminToken, "POST", "/admin/v1/tenants/" + tenant + "/import?" + query,
                "text/csv; charset=utf-8", csv);
    }

    /** The tenant's export of one kind, as CSV text; fails unless it answers 200. */
    public String exportCsv(String tenant, String kind) {
        FeishuHttp.Response r = send("GET", "/admin/v1/tenants/" + tenant + "/export?kind=" + kind, null);
        if (r.status() != 200) throw new AssertionError("export " + kind + " of " + tenant + ": " + r.status() + " " + r.text());
        return r.text();
    }

    @Override
    public void close() {
        server.close();
    }
}
