package mailroom.api.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import mailroom.directory.Caller;
import mailroom.directory.Change.ObjectKind;
import mailroom.directory.DirectoryStore;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.server.MailroomServer;
import mailroom.testing.FeishuHttp;
import mailroom.testing.TestServers;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.Test;

/**
 * The app behind a token is kept between requests only where the store vouches for it: a change to an
 * app acknowledged before a request is what that request is judged by, on one node and on two.
 */
class CachedAppsTest {
    private static final String GROUPS = "/open-apis/mail/v1/mailgroups";

    @Test
    void anAppRescopedOrGivenANewSecretIsJudgedByItsNewStateOnTheNextRequest() {
        try (MailroomServer server = TestServers.start(Backend.SQLITE)) {
            FeishuHttp feishu = new FeishuHttp(server.port());
            assertThat(code(feishu.call("cli_full", "GET", GROUPS, null))).isZero();
            assertThat(code(feishu.call("cli_full", "GET", GROUPS, null))).isZero();

            rescope(server, "cli_full", "secret-full", Set.of("mail:user_mailbox"));
            assertThat(code(feishu.call("cli_full", "GET", GROUPS, null))).isEqualTo(FeishuErrors.NO_SCOPE.code());

            rescope(server, "cli_full", "secret-new", Set.of("mail:mailgroup"));
            assertThat(code(feishu.call("cli_full", "GET", GROUPS, null))).isZero();
            assertThat(code(tokenWith(feishu, "cli_full", "secret-full"))).isEqualTo(10003);
            assertThat(code(tokenWith(feishu, "cli_full", "secret-new"))).isZero();
        }
    }

    @Test
    void onTwoNodesAnAppRescopedOnOneIsRefusedOnTheOthersNextRequest() {
        MailroomServer.Options options = TestServers.options(Backend.POSTGRESQL, null);
        try (MailroomServer node1 = MailroomServer.start(options);
             MailroomServer node2 = MailroomServer.start(options)) {
            FeishuHttp onNode2 = new FeishuHttp(node2.port());
            assertThat(code(onNode2.call("cli_full", "GET", GROUPS, null))).isZero();
            assertThat(code(onNode2.call("cli_full", "GET", GROUPS, null))).isZero();

            rescope(node1, "cli_full", "secret-full", Set.of("mail:user_mailbox"));
            assertThat(code(onNode2.call("cli_full", "GET", GROUPS, null))).isEqualTo(FeishuErrors.NO_SCOPE.code());
        }
    }

    @Test
    void theEmbeddedStoreCountsCommittedChangesPerKindAndASharedDatabaseVouchesForNothing() {
        try (DirectoryStore sqlite = TestServers.openStore(Backend.SQLITE);
             DirectoryStore postgres = TestServers.openStore(Backend.POSTGRESQL)) {
            var directory = TestServers.seededDirectory(sqlite, java.time.Clock.systemUTC());
            long apps = sqlite.changesTo(ObjectKind.APP).orElseThrow();
            long groups = sqlite.changesTo(ObjectKind.MAIL_GROUP).orElseThrow();
            directory.mailGroups().create(Caller.seed("acme"),
                    new mailroom.directory.mailgroup.MailGroups.Fields("counted@acme.test", null, null, null));
            assertThat(sqlite.changesTo(ObjectKind.MAIL_GROUP).orElseThrow()).isEqualTo(groups + 1);
            assertThat(sqlite.changesTo(ObjectKind.APP).orElseThrow()).isEqualTo(apps);
            assertThat(postgres.changesTo(ObjectKind.APP)).isEmpty();
        }
    }

    private static void rescope(MailroomServer server, String appId, String secret, Set<String> scopes) {
        Tenants tenants = server.directory().tenants();
        Tenant acme = tenants.find("acme").orElseThrow();
        tenants.provision(Caller.seed("acme"), new Tenants.TenantSpec(acme, List.of("acme.test", "acme-mail.test"), List.of(),
                List.of(), List.of(new Tenants.AppSpec(appId, secret, scopes)), List.of()));
    }

    private static FeishuHttp.Response tokenWith(FeishuHttp feishu, String appId, String secret) {
        return feishu.send("POST", "/open-apis/auth/v3/tenant_access_token/internal", null,
                "{\"app_id\":\"" + appId + "\",\"app_secret\":\"" + secret + "\"}");
    }

    private static int code(FeishuHttp.Response response) {
        return response.json().path("code").asInt();
    }
}
