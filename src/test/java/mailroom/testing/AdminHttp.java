package mailroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import mailroom.server.MailroomServer;

/** A real server with an operator door and its bootstrap admin token, for the admin door's tests. */
public final class AdminHttp implements AutoCloseable {
    private final MailroomServer server;
    private final String adminToken;
    private final FeishuHttp http;

    private AdminHttp(MailroomServer server, String adminToken) {
        this.server = server;
        this.adminToken = adminToken;
        this.http = new FeishuHttp(server.port());
    }

    /** A new server on a fresh database of the backend, seeded with the contract seed, with a generated admin token. */
    public static AdminHttp start(TestServers.Backend backend) {
        try {
            Path dir = Files.createTempDirectory("mailroom-admin");
            Path tokenFile = dir.resolve("admin-token");
            MailroomServer server = MailroomServer.start(TestServers.options(backend, dir).withAdminTokenFile(tokenFile));
            return new AdminHttp(server, Files.readString(tokenFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MailroomServer server() {
        return server;
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

    @Override
    public void close() {
        server.close();
    }
}
