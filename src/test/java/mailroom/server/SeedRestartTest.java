package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mailroom.directory.Caller;
import mailroom.directory.Change;
import mailroom.directory.access.App;
import mailroom.directory.access.Secrets;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import mailroom.testing.FeishuHttp;
import mailroom.testing.JournalSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart applies its seed again: an unchanged app secret is verified against its stored hash and keeps
 * it byte for byte (a new hash would have a new salt), and nothing is journalled; a changed secret is hashed
 * anew and journalled once, and from then on only the new secret is taken.
 */
class SeedRestartTest {
    private static final String SEED = """
            tenants:
              - key: acme
                domains: [acme.test]
                apps:
                  - {app_id: cli_one, app_secret: "first-secret", scopes: [mail:mailgroup]}
                  - {app_id: cli_two, app_secret: "second-secret", scopes: [mail:mailgroup]}
                hybridbox:
                  account_id: 3c90c3cc-0d44-4b50-8888-8dd25736052a
                  service_accounts:
                    - {name: provisioning, token: "hbx_sa_acme_provisioning", permissions: [mailbox.view]}
                users:
                  - {user_id: u100, name: Alice Liu, email: alice@acme.test}
            """;

    @TempDir
    Path dataDir;

    private static SeedFile seed(String text) {
        try {
            return Seeder.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private MailroomServer start(String seed) {
        JournalSecrets.watch(dataDir);
        return MailroomServer.start(new MailroomServer.Options("127.0.0.1", 0, dataDir, null, List.of(seed(seed)), false));
    }

    /** What a restart must keep: every app's stored hash, and how far the journal has got. */
    private record Stored(Map<String, String> hashes, long lastSeq) {}

    private static Stored stored(MailroomServer server) {
        Map<String, String> hashes = new java.util.TreeMap<>();
        for (String id : List.of("cli_one", "cli_two")) {
            hashes.put(id, server.directory().tenants().app(id).map(App::secretHash).orElseThrow());
        }
        return new Stored(hashes, server.directory().journal().lastSeq());
    }

    private static int tokenCode(MailroomServer server, String appId, String secret) {
        return new FeishuHttp(server.port()).send("POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                "{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}").json().get("code").asInt();
    }

    @Test
    void aRestartWithTheSameSeedKeepsEveryStoredHashByteForByteAndJournalsNothing() {
        Stored first;
        try (MailroomServer server = start(SEED)) {
            first = stored(server);
        }
        try (MailroomServer server = start(SEED)) {
            assertThat(stored(server)).isEqualTo(first);
            assertThat(tokenCode(server, "cli_one", "first-secret")).isZero();
            assertThat(tokenCode(server, "cli_two", "second-secret")).isZero();
        }
        try (MailroomServer server = start(SEED)) {
            assertThat(stored(server)).isEqualTo(first);
        }
    }

    @Test
    void aChangedSecretIsHashedAgainAndJournalledOnceAndOnlyTheNewSecretIsTaken() {
        Stored first;
        try (MailroomServer server = start(SEED)) {
            first = stored(server);
        }
        try (MailroomServer server = start(SEED.replace("first-secret", "first-secret-rotated"))) {
            Stored second = stored(server);
            assertThat(second.hashes().get("cli_one")).isNotEqualTo(first.hashes().get("cli_one"));
            assertThat(Secrets.verifyPassword("first-secret-rotated", second.hashes().get("cli_one"))).isTrue();
            assertThat(Secrets.verifyPassword("first-secret", second.hashes().get("cli_one"))).isFalse();
            assertThat(second.hashes().get("cli_two")).isEqualTo(first.hashes().get("cli_two"));
            List<Change.Entry> journalled = server.directory().journal().after(first.lastSeq(), 100);
            assertThat(journalled).hasSize(1);
            Change change = journalled.get(0).change();
            assertThat(change.caller()).isEqualTo(Caller.seed("acme"));
            assertThat(change.objectKind()).isEqualTo(Change.ObjectKind.APP);
            assertThat(change.objectId()).isEqualTo("cli_one");
            assertThat(change.op()).isEqualTo(Change.Op.UPDATE);
            assertThat(tokenCode(server, "cli_one", "first-secret")).isEqualTo(10003);
            assertThat(tokenCode(server, "cli_one", "first-secret-rotated")).isZero();
            assertThat(tokenCode(server, "cli_two", "second-secret")).isZero();
        }
    }

    @Test
    void aScopeChangeIsJournalledButAnUnchangedSecretKeepsItsHash() {
        Stored first;
        try (MailroomServer server = start(SEED)) {
            first = stored(server);
        }
        try (MailroomServer server = start(SEED.replace("second-secret\", scopes: [mail:mailgroup]",
                "second-secret\", scopes: [mail:mailgroup, mail:user_mailbox]"))) {
            Stored second = stored(server);
            assertThat(second.hashes()).isEqualTo(first.hashes());
            List<Change.Entry> journalled = server.directory().journal().after(first.lastSeq(), 100);
            assertThat(journalled).extracting(e -> e.change().objectId()).containsExactly("cli_two");
            assertThat(journalled.get(0).change().after()).containsEntry("scopes", List.of("mail:mailgroup", "mail:user_mailbox"));
            assertThat(tokenCode(server, "cli_two", "second-secret")).isZero();
        }
    }
}
