package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;
import mailroom.testing.FeishuHttp;
import org.junit.jupiter.api.Test;

/**
 * The online commands as a user runs them: {@code mailroom ...} in its own JVM against a real server with the
 * contract seed, asserting the exact lines printed, the JSON (the API's own answer, byte for byte) and the exit
 * codes.
 */
class OnlineCommandsProcessTest extends CliServerTest {
    @Test
    void tenantListPrintsAnAlignedTableOfEveryTenant() throws Exception {
        CliRun.Ended ended = mailroom("tenant", "list");
        assertThat(ended.lines()).containsExactly(
                "KEY     NAME          DOMAINS",
                "acme    Acme Inc.     acme-mail.test, acme.test",
                "globex  Globex Corp.  globex.test",
                "tiny    Tiny Ltd.     tiny.test");
        assertThat(ended.stderr()).isEmpty();
        assertThat(ended.exit()).isZero();
    }

    @Test
    void jsonBeforeTheSubcommandPrintsTheApisAnswerByteForByte() throws Exception {
        CliRun.Ended ended = mailroom("--json", "tenant", "show", "acme");
        assertThat(ended.exit()).isZero();
        assertThat(ended.stdout()).isEqualTo(server.send("GET", "/admin/v1/tenants/acme", null).text() + "\n");
        assertThat(JSON.readTree(ended.stdout()).get("key").asText()).isEqualTo("acme");
        assertThat(ended.stderr()).isEmpty();
    }

    @Test
    void jsonBetweenGroupAndCommandAndAfterItIsAcceptedToo() throws Exception {
        CliRun.Ended between = mailroom("tenant", "--json", "list");
        assertThat(between.stdout()).isEqualTo(server.send("GET", "/admin/v1/tenants?limit=500", null).text() + "\n");
        CliRun.Ended after = mailroom("operator-token", "list", "--json");
        assertThat(after.stdout()).isEqualTo(server.send("GET", "/admin/v1/operator-tokens?limit=500", null).text() + "\n");
        assertThat(after.exit()).isZero();
    }

    @Test
    void tenantShowPrintsOneAlignedLinePerField() throws Exception {
        CliRun.Ended ended = mailroom("tenant", "show", "tiny");
        assertThat(masked(ended.lines())).containsExactly(
                "key                               tiny",
                "name                              Tiny Ltd.",
                "domains                           tiny.test",
                "hybridbox_account_id              UUID",
                "created_at                        TIME",
                "updated_at                        TIME",
                "geo.multi_geo                     false",
                "geo.allowed                       -",
                "limits.public_mailboxes           2",
                "limits.mail_groups                2",
                "limits.mail_group_members         3",
                "limits.aliases_per_address        2",
                "limits.public_mailboxes_per_user  1",
                "limits.user_mailboxes             5",
                "rate_limits                       -",
                "usage.users                       2",
                "usage.departments                 0",
                "usage.user_mailboxes              2",
                "usage.public_mailboxes            0",
                "usage.mail_groups                 0",
                "usage.addresses                   2",
                "usage.apps                        1",
                "usage.service_accounts            1");
        assertThat(ended.exit()).isZero();
    }

    @Test
    void tenantCreateThenTheSameKeyAgainIsAConflictOnOneLineWithExit10() throws Exception {
        CliRun.Ended created = mailroom("tenant", "create", "initech", "--name", "Initech 公司", "--domain", "initech.test,Mail.Initech.test",
                "--limit", "mail_groups=5", "--geo", "sg,us");
        assertThat(created.exit()).isZero();
        assertThat(masked(created.lines()).subList(0, 10)).containsExactly(
                "key                               initech",
                "name                              Initech 公司",
                "domains                           initech.test, mail.initech.test",
                "created_at                        TIME",
                "updated_at                        TIME",
                "geo.multi_geo                     true",
                "geo.allowed                       sg, us",
                "geo.default                       sg",
                "limits.public_mailboxes           1000",
                "limits.mail_groups                5");
        JsonNode stored = server.send("GET", "/admin/v1/tenants/initech", null).json();
        assertThat(stored.get("name").asText()).isEqualTo("Initech 公司");
        assertThat(stored.at("/limits/mail_groups").asInt()).isEqualTo(5);

        assertFailed(mailroom("tenant", "create", "initech", "--domain", "other.test"), 10,
                "mailroom: conflict: a tenant with key initech already exists");
    }

    @Test
    void tenantDeleteSaysWhatItDidAndARefusalKeepsTheTenant() throws Exception {
        assertFailed(mailroom("tenant", "delete", "tiny"), 10,
                "mailroom: conflict: " + server.send("DELETE", "/admin/v1/tenants/tiny", null).json().get("detail").asText());
        CliRun.Ended forced = mailroom("tenant", "delete", "tiny", "--force");
        assertThat(forced.lines()).containsExactly("deleted tenant tiny");
        assertThat(forced.exit()).isZero();
        assertThat(server.send("GET", "/admin/v1/tenants/tiny", null).status()).isEqualTo(404);
    }

    @Test
    void anUnknownTenantIsNotFoundWithExit9() throws Exception {
        assertFailed(mailroom("tenant", "show", "nobody"), 9, "mailroom: not-found: tenant not found");
    }

    @Test
    void operatorTokensAreCreatedListedAndRevoked() throws Exception {
        CliRun.Ended created = mailroom("operator-token", "create", "--name", "dashboards", "--role", "viewer", "--json");
        assertThat(created.exit()).isZero();
        JsonNode token = JSON.readTree(created.stdout());
        assertThat(token.get("name").asText()).isEqualTo("dashboards");
        assertThat(token.get("role").asText()).isEqualTo("viewer");
        assertThat(token.get("tenant").isNull()).isTrue();
        String viewer = token.get("token").asText();
        assertThat(server.sendAs("Bearer " + viewer, "GET", "/admin/v1/tenants/acme", null).status()).isEqualTo(200);

        CliRun.Ended scoped = mailroom("operator-token", "create", "--name", "acme ops", "--role", "admin", "--tenant", "acme");
        assertThat(masked(scoped.lines())).containsExactly(
                "id          UUID",
                "name        acme ops",
                "role        admin",
                "tenant      acme",
                "created_at  TIME",
                "token       TOKEN");

        CliRun.Ended listed = mailroom("operator-token", "list");
        assertThat(maskedColumns(listed.lines())).containsExactly(
                "ID  NAME  ROLE  TENANT  CREATED_AT  REVOKED_AT",
                "UUID  bootstrap (admin token file)  admin  -  TIME  -",
                "UUID  dashboards  viewer  -  TIME  -",
                "UUID  acme ops  admin  acme  TIME  -");

        CliRun.Ended revoked = mailroom("operator-token", "revoke", token.get("id").asText());
        assertThat(revoked.lines()).containsExactly("revoked operator token " + token.get("id").asText());
        assertThat(server.sendAs("Bearer " + viewer, "GET", "/admin/v1/tenants/acme", null).status()).isEqualTo(401);
    }

    @Test
    void aViewerWritingIsForbiddenWithExit8AndAnInvalidRequestIsValidationWithExit11() throws Exception {
        String viewer = server.send("POST", "/admin/v1/operator-tokens", "{\"name\":\"v\",\"role\":\"viewer\"}").json().get("token").asText();
        CliRun.Ended forbidden = CliRun.run(dir, Map.of("MAILROOM_URL", base(), "MAILROOM_ADMIN_TOKEN", viewer),
                "tenant", "delete", "globex");
        assertFailed(forbidden, 8, "mailroom: forbidden: a viewer token may only read");
        assertFailed(mailroom("operator-token", "create", "--name", "x", "--role", "root"), 11,
                "mailroom: validation: role: must be admin or viewer");
    }

    @Test
    void aWrongTokenGivesTheOneLineErrorAndExit8() throws Exception {
        Files.writeString(dir.resolve("wrong"), "mr_op_not-a-token\n");
        CliRun.Ended ended = CliRun.run(dir, env, "tenant", "list", "--token-file", "wrong");
        assertFailed(ended, 8, "mailroom: unauthorized: unknown or revoked operator token");
    }

    @Test
    void anUnreachableServerGivesTheOneLineErrorAndExit7() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun.Ended ended = mailroom("--url", "http://127.0.0.1:" + closed, "tenant", "list");
        assertFailed(ended, 7, "mailroom: cannot reach http://127.0.0.1:" + closed + ": connection refused");
    }

    @Test
    void theDefaultsAreMailroomUrlAndTheDataDirectorysTokenFile() throws Exception {
        CliRun.Ended none = CliRun.run(dir, env, "tenant", "list");
        assertFailed(none, 2, "mailroom: no operator token: give --token-file FILE or set MAILROOM_ADMIN_TOKEN "
                + "(./data/admin-token does not exist here)");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(dir.resolve("token"), dir.resolve("data/admin-token"));
        CliRun.Ended ended = CliRun.run(dir, env, "--json", "tenant", "show", "globex");
        assertThat(ended.exit()).isZero();
        assertThat(JSON.readTree(ended.stdout()).get("name").asText()).isEqualTo("Globex Corp.");
    }

    @Test
    void aMissingRequiredOptionIsAUsageErrorWithExit2() throws Exception {
        CliRun.Ended ended = mailroom("tenant", "create", "hooli");
        assertThat(ended.errors()).containsExactly("mailroom: Missing required option: '--domain=DOMAIN'",
                "see 'mailroom tenant create --help'");
        assertThat(ended.exit()).isEqualTo(2);
    }

    @Test
    void tokenPrintsAFreshTenantAccessTokenThatTheFeishuDoorTakes() throws Exception {
        Files.writeString(dir.resolve("secret"), FeishuHttp.SECRETS.get("cli_full") + "\n");
        CliRun.Ended ended = mailroom("token", "--tenant", "acme", "--app", "cli_full", "--secret-file", "secret");
        assertThat(ended.stderr()).isEmpty();
        assertThat(ended.exit()).isZero();
        assertThat(ended.lines()).hasSize(1);
        String token = ended.lines().get(0);
        assertThat(token).startsWith("t-");
        FeishuHttp.Response used = new FeishuHttp(server.server().port()).send("GET",
                "/open-apis/mail/v1/user_mailboxes/alice@acme.test/aliases", "Bearer " + token, null);
        assertThat(used.json().get("code").asInt()).isZero();

        assertFailed(mailroom("token", "--tenant", "acme", "--app", "cli_full"), 2,
                "mailroom: the app secret is needed: give --secret-file FILE (there is no terminal to ask on)");
        Files.writeString(dir.resolve("wrong-secret"), "not-the-secret\n");
        assertFailed(mailroom("token", "--tenant", "acme", "--app", "cli_full", "--secret-file", "wrong-secret"), 8,
                "mailroom: the app secret was refused (Feishu code 10003, invalid param)");
        assertFailed(mailroom("token", "--tenant", "globex", "--app", "cli_full", "--secret-file", "secret"), 9,
                "mailroom: not-found: app cli_full not found");
    }
}
