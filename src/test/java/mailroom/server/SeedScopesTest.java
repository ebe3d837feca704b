package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import mailroom.seed.SeedFile;
import mailroom.seed.Seeder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seed's app may hold only the scopes the Feishu door checks, as through the operator door: others refuse the start. */
class SeedScopesTest {
    @TempDir
    Path dataDir;

    private static SeedFile seed(String scopes) {
        String text = """
                tenants:
                  - key: acme
                    domains: [acme.test]
                    apps:
                      - {app_id: cli_one, app_secret: "first-secret", scopes: [mail:mailgroup]}
                      - {app_id: cli_two, app_secret: "second-secret", scopes: %s}
                """.formatted(scopes);
        try {
            return Seeder.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private MailroomServer.Options options(SeedFile seed) {
        return new MailroomServer.Options("127.0.0.1", 0, dataDir, null, List.of(seed), false);
    }

    @Test
    void aSeedNamingAScopeTheFeishuDoorDoesNotCheckIsRefusedNamingTheEntry() {
        StartupFailure refused = catchThrowableOfType(StartupFailure.class,
                () -> MailroomServer.start(options(seed("[mail:user_mailbox, im:message]"))).close());
        assertThat(refused.kind()).isEqualTo(StartupFailure.Kind.SEED);
        assertThat(refused).hasMessage("tenants[0] (acme): apps[1].scopes[1]: unknown scope im:message (known: "
                + "contact:contact, contact:contact.base:readonly, contact:contact:access_as_app, contact:contact:readonly, "
                + "contact:contact:readonly_as_app, contact:department.base:readonly, contact:department.organize:readonly, "
                + "contact:user.base:readonly, contact:user.employee_id:readonly, mail:mailgroup, mail:mailgroup:readonly, mail:public_mailbox, "
                + "mail:public_mailbox.public_mailbox_geo, mail:public_mailbox:readonly, mail:user_mailbox, mail:user_mailbox:readonly)");
    }

    @Test
    void everyScopeTheFeishuDoorChecksIsAccepted() {
        try (MailroomServer server = MailroomServer.start(options(seed("[contact:contact, contact:contact.base:readonly,"
                + " contact:contact:access_as_app, contact:contact:readonly, contact:contact:readonly_as_app,"
                + " contact:department.base:readonly, contact:department.organize:readonly, contact:user.base:readonly,"
                + " contact:user.employee_id:readonly, mail:mailgroup,"
                + " mail:mailgroup:readonly, mail:public_mailbox, mail:public_mailbox.public_mailbox_geo, mail:public_mailbox:readonly,"
                + " mail:user_mailbox, mail:user_mailbox:readonly]")))) {
            assertThat(server.directory().tenants().app("cli_two").orElseThrow().scopes()).hasSize(16)
                    .isEqualTo(server.feishu().knownScopes());
        }
    }
}
