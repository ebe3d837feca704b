package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mailroom.testing.FeishuHttp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The commands of a tenant's objects — domains, Feishu apps, service accounts, departments, users — and
 * {@code token}, run as processes against a real server: what they print, what the door then holds, their exit codes.
 */
class ResourceCommandsProcessTest extends CliServerTest {
    @Test
    void domainsAreAddedListedAndRemovedAndADomainOfAnotherTenantIsAConflict() throws Exception {
        assertThat(masked(ok(mailroom("domain", "add", "--tenant", "globex", "Mail.Globex.test")).lines())).containsExactly(
                "domain      mail.globex.test",
                "id          UUID",
                "created_at  TIME");
        assertThat(masked(ok(mailroom("domain", "list", "--tenant", "globex")).lines())).containsExactly(
                "DOMAIN            CREATED_AT",
                "globex.test       TIME",
                "mail.globex.test  TIME");
        assertThat(ok(mailroom("domain", "remove", "--tenant", "globex", "mail.globex.test")).lines())
                .containsExactly("removed domain mail.globex.test from tenant globex");
        assertThat(JSON.readTree(api("/tenants/globex")).get("domains").toString()).isEqualTo("[\"globex.test\"]");
        CliRun.Ended taken = mailroom("domain", "add", "--tenant", "globex", "acme.test");
        assertThat(taken.exit()).isEqualTo(10);
        assertThat(taken.errors()).singleElement().asString().startsWith("mailroom: conflict: ");
    }

    @Test
    void anAppIsCreatedWithItsSecretOnceListedRotatedAndDeleted() throws Exception {
        CliRun.Ended created = ok(mailroom("app", "create", "--tenant", "globex", "--app-id", "cli_cli_test",
                "--scope", "mail:user_mailbox", "--scope", "mail:mailgroup", "--json"));
        JsonNode app = JSON.readTree(created.stdout());
        assertThat(app.get("app_id").asText()).isEqualTo("cli_cli_test");
        assertThat(app.get("scopes").toString()).isEqualTo("[\"mail:mailgroup\",\"mail:user_mailbox\"]");
        String secret = app.get("app_secret").asText();
        assertThat(tokenCode("cli_cli_test", secret)).isZero();

        assertThat(ok(mailroom("app", "list", "--tenant", "globex")).lines()).containsExactly(
                "APP_ID        SCOPES",
                "cli_cli_test  mail:mailgroup, mail:user_mailbox",
                "cli_globex    mail:mailgroup, mail:public_mailbox, mail:user_mailbox");

        List<String> rotated = ok(mailroom("app", "rotate-secret", "--tenant", "globex", "cli_cli_test")).lines();
        assertThat(rotated).hasSize(3);
        assertThat(rotated.get(0)).isEqualTo("app_id      cli_cli_test");
        assertThat(rotated.get(2)).startsWith("app_secret  ");
        String newSecret = rotated.get(2).substring("app_secret  ".length());
        assertThat(newSecret).isNotEqualTo(secret);
        assertThat(tokenCode("cli_cli_test", newSecret)).isZero();
        assertThat(tokenCode("cli_cli_test", secret)).isNotZero();

        assertThat(ok(mailroom("app", "delete", "--tenant", "globex", "cli_cli_test")).lines())
                .containsExactly("deleted app cli_cli_test of tenant globex");
        assertThat(server.send("GET", "/admin/v1/tenants/globex/apps/cli_cli_test", null).status()).isEqualTo(404);
    }

    /** The code the Feishu token endpoint answers for these credentials (0: a token). */
    private int tokenCode(String appId, String secret) throws Exception {
        return new FeishuHttp(server.server().port()).send("POST", TokenCommand.TOKEN_PATH, null,
                JSON.writeValueAsString(java.util.Map.of("app_id", appId, "app_secret", secret))).json().get("code").asInt();
    }

    @Test
    void aServiceAccountIsCreatedWithItsTokenOnceListedAndDeleted() throws Exception {
        JsonNode account = JSON.readTree(ok(mailroom("service-account", "create", "--tenant", "tiny", "--name", "cli-test",
                "--permission", "mailbox.view,domain.view", "--json")).stdout());
        assertThat(account.get("token").asText()).startsWith("hbx_sa_");
        String id = account.get("id").asText();
        assertThat(maskedColumns(ok(mailroom("service-account", "list", "--tenant", "tiny")).lines())).containsExactly(
                "ID  NAME  PERMISSIONS  EXPIRES_AT  REVOKED_AT",
                "UUID  provisioning  mailbox.view, mailbox.create, mailbox.update, mailbox.delete, mailbox.alias.manage, domain.view  -  -",
                "UUID  cli-test  mailbox.view, domain.view  -  -");
        assertThat(ok(mailroom("service-account", "delete", "--tenant", "tiny", id)).lines())
                .containsExactly("deleted service account " + id + " of tenant tiny");
        assertThat(JSON.readTree(api("/tenants/tiny/service-accounts")).get("items")).hasSize(1);
    }

    @Test
    void departmentsAreAddedListedAndRemovedButNotWhileTheyHaveUsers() throws Exception {
        assertThat(ok(mailroom("department", "add", "--tenant", "acme", "D300", "--name", "研发", "--parent", "D200")).lines())
                .containsExactly(
                        "department_id       D300",
                        "open_department_id  D300",
                        "name                研发",
                        "parent              D200");
        assertThat(ok(mailroom("department", "list", "--tenant", "acme")).lines()).containsExactly(
                "DEPARTMENT_ID  OPEN_DEPARTMENT_ID  NAME         PARENT",
                "D100           od-100              Sales        -",
                "D110           od-110              Sales North  D100",
                "D200           od-200              Engineering  -",
                "D300           D300                研发         D200");
        CliRun.Ended refused = mailroom("department", "remove", "--tenant", "acme", "D100");
        assertFailed(refused, 10, "mailroom: conflict: "
                + server.send("DELETE", "/admin/v1/tenants/acme/departments/D100", null).json().get("detail").asText());
        assertThat(ok(mailroom("department", "remove", "--tenant", "acme", "D300")).lines())
                .containsExactly("removed department D300 from tenant acme");
    }

    @Test
    void aUserIsAddedWithAMailboxFoundShownAndRemovedToTheRecycleBin() throws Exception {
        CliRun.Ended added = ok(mailroom("user", "add", "--tenant", "acme", "u900", "--name", "Zoe Zhang", "--email", "zoe@acme.test",
                "--department", "D100,D200", "--open-id", "ou_900", "--union-id", "on_900"));
        assertThat(masked(added.lines())).containsExactly(
                "user_id         u900",
                "open_id         ou_900",
                "union_id        on_900",
                "name            Zoe Zhang",
                "email           zoe@acme.test",
                "departments     D100, D200",
                "mailbox.id      UUID",
                "mailbox.status  active");
        assertThat(ok(mailroom("user", "list", "--tenant", "acme", "--department", "D100")).lines()).containsExactly(
                "USER_ID  NAME       EMAIL            DEPARTMENTS",
                "u100     Alice Liu  alice@acme.test  D100",
                "u200     Bob Chen   bob@acme.test    D110",
                "u900     Zoe Zhang  zoe@acme.test    D100, D200");
        CliRun.Ended shown = ok(mailroom("user", "show", "--tenant", "acme", "u900", "--json"));
        assertThat(shown.stdout()).isEqualTo(api("/tenants/acme/users/u900") + "\n");
        assertThat(ok(mailroom("user", "remove", "--tenant", "acme", "u900")).lines()).containsExactly("removed user u900 from tenant acme");
        JsonNode owner = JSON.readTree(api("/tenants/acme/addresses/zoe@acme.test"));
        assertThat(owner.get("status").asText()).isNotEqualTo("active");
        assertFailed(mailroom("user", "show", "--tenant", "acme", "u900"), 9,
                "mailroom: not-found: " + JSON.readTree(api("/tenants/acme/users/u900")).get("detail").asText());
    }

    @Test
    void tokenAsksForTheSecretOnATerminalWithoutEchoingIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script makes the terminal");
        List<String> command = new ArrayList<>(CliRun.command(List.of("token", "--tenant", "acme", "--app", "cli_full", "--token-file", "token")));
        String line = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path typescript = dir.resolve("typescript");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qefc", line, "/dev/null").directory(dir.toFile())
                .redirectOutput(typescript.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(k -> k.startsWith("MAILROOM_"));
        builder.environment().putAll(env);
        Process child = builder.start();
        try {
            // Typed once the prompt is up, so that the terminal does not echo it before the console turns echo off.
            for (int i = 0; i < 600 && !Files.readString(typescript).contains("app secret of cli_full: "); i++) Thread.sleep(100);
            child.getOutputStream().write((FeishuHttp.SECRETS.get("cli_full") + "\n").getBytes());
            child.getOutputStream().close();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
        List<String> printed = Files.readString(typescript).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(printed).hasSize(2);
        assertThat(printed.get(0)).isEqualTo("app secret of cli_full:");
        assertThat(printed.get(1)).startsWith("t-");
        assertThat(Files.readString(typescript)).doesNotContain(FeishuHttp.SECRETS.get("cli_full"));
    }
}
