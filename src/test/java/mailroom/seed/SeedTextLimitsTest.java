package mailroom.seed;

import static mailroom.testing.HybridboxHttp.PROVISIONING;
import static mailroom.testing.HybridboxHttp.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import mailroom.directory.Directory;
import mailroom.directory.DirectoryStore;
import mailroom.server.MailroomServer;
import mailroom.server.StartupFailure;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.Test;

/**
 * A seed is held to the directory's maximum lengths (directory.Text) like every door: an over-long value refuses
 * the tenant with its place in the file, before anything of it is stored.
 */
class SeedTextLimitsTest {
    private static final String ACCOUNT = "5b1f0000-0000-4000-8000-000000000001";

    private static SeedFile seed(String tenantName, String departmentName, String userName) throws IOException {
        String yaml = "tenants:\n"
                + "  - key: longnames\n"
                + "    name: \"" + tenantName + "\"\n"
                + "    domains: [longnames.test]\n"
                + "    departments:\n"
                + "      - {department_id: D1, name: \"" + departmentName + "\"}\n"
                + "    users:\n"
                + "      - {user_id: u1, name: \"" + userName + "\", email: someone@longnames.test}\n"
                + "    hybridbox:\n"
                + "      account_id: " + ACCOUNT + "\n"
                + "      service_accounts:\n"
                + "        - {name: provisioning, token: \"" + PROVISIONING + "_long\", permissions: [mailbox.view]}\n";
        return Seeder.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(SeedFile seed, String message) {
        try (DirectoryStore store = TestServers.openStore(TestServers.Backend.SQLITE)) {
            Directory directory = new Directory(store, Clock.systemUTC());
            assertThatThrownBy(() -> new Seeder(directory.tenants()).apply(seed))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
            assertThat(directory.tenants().find("longnames")).as("nothing of the tenant is stored").isEmpty();
        }
    }

    @Test
    void anOverLongTenantDepartmentOrUserNameRefusesTheTenantSayingWhere() throws IOException {
        assertRefused(seed("t".repeat(256), "Sales", "Ann Lee"), "tenants[0] (longnames): name must be at most 255 characters");
        assertRefused(seed("Long Names", "d".repeat(256), "Ann Lee"),
                "tenants[0] (longnames): departments[0].name must be at most 255 characters");
        assertRefused(seed("Long Names", "Sales", "u".repeat(256)), "tenants[0] (longnames): users[0].name must be at most 255 characters");
    }

    @Test
    void aServerStartedWithSuchASeedSaysSoInOneLine() throws IOException {
        MailroomServer.Options o = TestServers.options(TestServers.Backend.SQLITE, null);
        SeedFile bad = seed("Long Names", "d".repeat(300), "Ann Lee");
        assertThatThrownBy(() -> MailroomServer.start(new MailroomServer.Options(o.host(), 0, o.dataDir(), null, List.of(bad), false)))
                .isInstanceOf(StartupFailure.class)
                // Said by the seed rules, before the store is opened (check-seed says the same, with the line).
                .hasMessage("tenants[0] (longnames): departments[0].name: must be at most 255 characters");
    }

    @Test
    void aSeededMailboxTakesItsNamesFromTheUsersNameCutToWhatAMailboxNameMayHold() throws IOException {
        MailroomServer.Options o = TestServers.options(TestServers.Backend.SQLITE, null);
        SeedFile longest = seed("t".repeat(255), "d".repeat(255), "f".repeat(200) + " " + "l".repeat(54));
        try (MailroomServer server = MailroomServer.start(new MailroomServer.Options(o.host(), 0, o.dataDir(), null, List.of(longest), false))) {
            FeishuHttp.Response box = new HybridboxHttp(server.port()).call(PROVISIONING + "_long", "GET",
                    path(ACCOUNT, "/mailboxes/someone@longnames.test"), null);
            assertThat(box.status()).as(box.text()).isEqualTo(200);
            assertThat(box.json().get("first_name").asText()).isEqualTo("f".repeat(128));
            assertThat(box.json().get("last_name").asText()).isEqualTo("l".repeat(54));
            assertThat(server.directory().tenants().find("longnames").orElseThrow().name()).isEqualTo("t".repeat(255));
        }
    }
}
