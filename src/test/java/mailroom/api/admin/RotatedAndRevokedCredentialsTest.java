package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/**
 * Credentials changed through the operator door, as the other doors see them on the next request, on one
 * SQLite node and on two PostgreSQL nodes (changed on one, used on the other): a rotated app secret refuses a
 * new token for the old secret and gives one for the new, while a token issued before the rotation works to the
 * end of its lifetime; a deleted app's tokens are refused at once; a revoked service account's token is refused
 * at once by the Hybridbox door.
 */
class RotatedAndRevokedCredentialsTest {
    private static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups";
    private static final int INVALID_CREDENTIALS = 10003;
    private static final int INVALID_TOKEN = 99991663;

    /** One node, or two on one database; {@code changes} is where the operator writes, {@code uses} where clients call. */
    private record Nodes(MailroomServer changes, MailroomServer uses, TestClock clock, String adminToken) implements AutoCloseable {
        static Nodes start(Backend backend) {
            TestClock clock = TestClock.movable(Instant.now());
            try {
                Path dir = Files.createTempDirectory("mailroom-credentials");
                MailroomServer.Options options = TestServers.options(backend, dir).withAdminTokenFile(dir.resolve("admin-token"));
                MailroomServer first = MailroomServer.start(options, clock);
                MailroomServer second = backend == Backend.SQLITE ? first : MailroomServer.start(options, clock);
                return new Nodes(first, second, clock, Files.readString(dir.resolve("admin-token")).trim());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        FeishuHttp.Response admin(String method, String path, String body) {
            return new FeishuHttp(changes.port()).send(method, "/admin/v1/tenants/acme" + path, "Bearer " + adminToken, body);
        }

        FeishuHttp feishu(MailroomServer node) {
            return new FeishuHttp(node.port());
        }

        @Override
        public void close() {
            if (uses != changes) uses.close();
            changes.close();
        }
    }

    @Test
    void onSqliteARotatedSecretIsNeededForNewTokensWhileAnEarlierTokenLivesOut() {
        rotatedSecret(Backend.SQLITE);
    }

    @Test
    void onTwoPostgresNodesASecretRotatedOnOneIsNeededOnTheOtherWhileAnEarlierTokenLivesOut() {
        rotatedSecret(Backend.POSTGRESQL);
    }

    @Test
    void onSqliteADeletedAppsTokensAreRefusedAtOnce() {
        deletedApp(Backend.SQLITE);
    }

    @Test
    void onTwoPostgresNodesAnAppDeletedOnOneHasItsTokensRefusedOnTheOtherAtOnce() {
        deletedApp(Backend.POSTGRESQL);
    }

    @Test
    void onSqliteARevokedServiceAccountIsRefusedByTheHybridboxDoorAtOnce() {
        revokedServiceAccount(Backend.SQLITE);
    }

    @Test
    void onTwoPostgresNodesAServiceAccountRevokedOnOneIsRefusedOnTheOtherAtOnce() {
        revokedServiceAccount(Backend.POSTGRESQL);
    }

    private static void rotatedSecret(Backend backend) {
        try (Nodes nodes = Nodes.start(backend)) {
            FeishuHttp.Response created = nodes.admin("POST", "/apps", "{\"scopes\":[\"mail:mailgroup\"]}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String appId = created.json().get("app_id").asText();
            String oldSecret = created.json().get("app_secret").asText();
            assertThat(appId).matches("cli_[0-9a-f]{16}");
            assertThat(created.header("location")).isEqualTo("/admin/v1/tenants/acme/apps/" + appId);
            long seq = nodes.changes().directory().journal().lastSeq();

            FeishuHttp client = nodes.feishu(nodes.uses());
            JsonNode issued = token(client, appId, oldSecret);
            assertThat(issued.get("code").asInt()).isZero();
            String earlier = issued.get("tenant_access_token").asText();
            long lifetime = issued.get("expire").asLong();
            assertThat(mailCode(client, earlier)).isZero();

            FeishuHttp.Response rotated = nodes.admin("POST", "/apps/" + appId + "/rotate-secret", null);
            assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
            String newSecret = rotated.json().get("app_secret").asText();
            assertThat(newSecret).isNotEqualTo(oldSecret).hasSize(32);

            assertThat(token(client, appId, oldSecret).get("code").asInt()).isEqualTo(INVALID_CREDENTIALS);
            assertThat(token(client, appId, newSecret).get("code").asInt()).isZero();
            assertThat(mailCode(client, earlier)).isZero();
            assertThat(mailCode(nodes.feishu(nodes.changes()), earlier)).isZero();

            // Stored as a PBKDF2 hash of the new secret; journalled once, as the operator, and never in plain text.
            App stored = nodes.uses().directory().tenants().app(appId).orElseThrow();
            assertThat(stored.secretHash()).startsWith("pbkdf2$").doesNotContain(newSecret);
            assertThat(Secrets.verifyPassword(newSecret, stored.secretHash())).isTrue();
            List<Change.Entry> journalled = nodes.changes().directory().journal().after(seq, 100);
            assertThat(journalled).hasSize(1);
            Change change = journalled.get(0).change();
            assertThat(change.objectKind()).isEqualTo(Change.ObjectKind.APP);
            assertThat(change.op()).isEqualTo(Change.Op.UPDATE);
            assertThat(change.caller().actorKind()).isEqualTo(Caller.ActorKind.OPERATOR);
            assertThat(String.valueOf(change.before()) + change.after()).doesNotContain(oldSecret).doesNotContain(newSecret)
                    .doesNotContain("pbkdf2");

            nodes.clock().advance(Duration.ofSeconds(lifetime - 1));
            assertThat(mailCode(client, earlier)).as("a second before its end").isZero();
            nodes.clock().advance(Duration.ofSeconds(2));
            assertThat(mailCode(client, earlier)).as("a second after its end").isEqualTo(INVALID_TOKEN);
            JsonNode fresh = token(client, appId, newSecret);
            assertThat(fresh.get("code").asInt()).isZero();
            assertThat(mailCode(client, fresh.get("tenant_access_token").asText())).isZero();
        }
    }

    private static void deletedApp(Backend backend) {
        try (Nodes nodes = Nodes.start(backend)) {
            FeishuHttp.Response created = nodes.admin("POST", "/apps", "{\"app_id\":\"cli_doomed\",\"scopes\":[\"mail:mailgroup\"]}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String secret = created.json().get("app_secret").asText();
            FeishuHttp client = nodes.feishu(nodes.uses());
            String token = token(client, "cli_doomed", secret).get("tenant_access_token").asText();
            assertThat(mailCode(client, token)).isZero();

            assertThat(nodes.admin("DELETE", "/apps/cli_doomed", null).status()).isEqualTo(204);
            assertThat(mailCode(client, token)).isEqualTo(INVALID_TOKEN);
            assertThat(mailCode(nodes.feishu(nodes.changes()), token)).isEqualTo(INVALID_TOKEN);
            assertThat(token(client, "cli_doomed", secret).get("code").asInt()).isEqualTo(INVALID_CREDENTIALS);
            // A new app under the old id would make the old tokens good again: the id is not given out.
            assertThat(nodes.admin("POST", "/apps", "{\"app_id\":\"cli_doomed\",\"scopes\":[]}").status()).isEqualTo(409);
            assertThat(mailCode(client, token)).isEqualTo(INVALID_TOKEN);
        }
    }

    private static void revokedServiceAccount(Backend backend) {
        try (Nodes nodes = Nodes.start(backend)) {
            FeishuHttp.Response created = nodes.admin("POST", "/service-accounts", "{\"name\":\"ci\",\"permissions\":[\"mailbox.view\"]}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.json().get("id").asText();
            String token = created.json().get("token").asText();
            assertThat(token).startsWith("hbx_sa_");
            HybridboxHttp hybridbox = new HybridboxHttp(nodes.uses().port());
            String mailboxes = HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes?page_size=1");
            assertThat(hybridbox.call(token, "GET", mailboxes, null).status()).isEqualTo(200);
            assertThat(nodes.admin("GET", "/service-accounts", null).text()).doesNotContain(token);

            assertThat(nodes.admin("DELETE", "/service-accounts/" + id, null).status()).isEqualTo(204);
            FeishuHttp.Response refused = hybridbox.call(token, "GET", mailboxes, null);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("www-authenticate")).isEqualTo("Bearer");
            assertThat(new HybridboxHttp(nodes.changes().port()).call(token, "GET", mailboxes, null).status()).isEqualTo(401);
            assertThat(hybridbox.call(HybridboxHttp.PROVISIONING, "GET", mailboxes, null).status()).isEqualTo(200);
        }
    }

    private static JsonNode token(FeishuHttp http, String appId, String secret) {
        return http.send("POST", TOKEN_PATH, null, "{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}").json();
    }

    private static int mailCode(FeishuHttp http, String token) {
        return http.send("GET", GROUPS, "Bearer " + token, null).json().path("code").asInt();
    }
}
