package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mailroom.directory.Caller;
import mailroom.directory.tenant.Department;
import mailroom.directory.tenant.Tenant;
import mailroom.directory.tenant.Tenants;
import mailroom.testing.AdminHttp;
import mailroom.testing.DirectoryPicture;
import mailroom.testing.FeishuHttp;
import mailroom.testing.StoredState;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Export, then import into an empty tenant, reproduces the same directory: the same four exports and the same
 * objects read back through the directory, on SQLite and on PostgreSQL; a dry run there stores nothing.
 */
class CsvRoundTripTest {
    private static final List<String> KINDS = List.of("users", "mail_groups", "members", "aliases");

    static final String USERS = """
            user_id,name,email,departments,open_id,union_id
            r1,"Liu, Alice",alice@rt.test,S1;E1,ou_r1,on_r1
            r2,Bob Chen,Bob@RT.test,S1,,
            r3,Carol Without Mailbox,,,ou_r3,
            r4,Dan Other Domain,dan@rt-mail.test,E1,,
            """;
    static final String GROUPS = """
            email,name,description,who_can_send_mail
            all@rt.test,Everyone,"Line one
            line two",ALL_INTERNAL_USERS
            sales@rt.test,Sales,,CUSTOM_MEMBERS
            """;
    static final String MEMBERS = """
            group,type,member
            sales@rt.test,USER,r1
            sales@rt.test,DEPARTMENT,E1
            sales@rt.test,EXTERNAL_USER,partner@example.com
            sales@rt.test,OTHER_MEMBER,dan@rt-mail.test
            all@rt.test,COMPANY,
            all@rt.test,MAIL_GROUP,sales@rt.test
            """;
    static final String ALIASES = """
            address,alias
            alice@rt.test,a.liu@rt-mail.test
            sales@rt.test,deals@rt.test
            bob@rt.test,bobby@rt.test
            """;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void exportThenImportIntoAnEmptyTenantReproducesTheSameDirectory(Backend backend) {
        try (AdminHttp admin = AdminHttp.start(backend)) {
            emptyTenant(admin);
            for (Map.Entry<String, String> file : Map.of("users", USERS, "mail_groups", GROUPS, "members", MEMBERS,
                    "aliases", ALIASES).entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) ->
                    KINDS.indexOf(a) - KINDS.indexOf(b))).toList()) {
                FeishuHttp.Response r = admin.importCsv("rt", "kind=" + file.getKey(), file.getValue());
                assertThat(r.json().get("failed")).as("%s: %s", file.getKey(), r.text()).isEmpty();
            }
            Map<String, String> exported = exports(admin);
            List<String> picture = DirectoryPicture.of(admin.server().directory(), "rt");
            assertThat(picture).contains("member of sales@rt.test DEPARTMENT E1", "alias bobby@rt.test of bob@rt.test",
                    "user r3 name=Carol Without Mailbox open_id=ou_r3 union_id={{generated}} departments=[] mailbox=null"
                            .replace("{{generated}}", unionIdOf(picture, "r3")));
            assertThat(exported.get("mail_groups")).contains("\"Line one\nline two\"");

            FeishuHttp.Response deleted = admin.send("DELETE", "/admin/v1/tenants/rt?force=true", null);
            assertThat(deleted.status()).isEqualTo(204);
            emptyTenant(admin);
            assertThat(DirectoryPicture.of(admin.server().directory(), "rt")).isEmpty();
            String stored = StoredState.of(admin.options());
            FeishuHttp.Response dry = admin.importCsv("rt", "kind=users&dry_run=true", exported.get("users"));
            assertThat(dry.json().get("created").asInt()).as(dry.text()).isEqualTo(4);
            assertThat(StoredState.of(admin.options())).as("a dry run stores nothing").isEqualTo(stored);
            for (String kind : KINDS) {
                FeishuHttp.Response r = admin.importCsv("rt", "kind=" + kind, exported.get(kind));
                assertThat(r.json().get("failed")).as("%s: %s", kind, r.text()).isEmpty();
            }
            assertThat(exports(admin)).isEqualTo(exported);
            assertThat(DirectoryPicture.of(admin.server().directory(), "rt")).isEqualTo(picture);
        }
    }

    private static String unionIdOf(List<String> picture, String userId) {
        String line = picture.stream().filter(l -> l.startsWith("user " + userId + " ")).findFirst().orElseThrow();
        return line.replaceAll(".* union_id=(\\S+) .*", "$1");
    }

    private static Map<String, String> exports(AdminHttp admin) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kind : KINDS) out.put(kind, admin.exportCsv("rt", kind));
        return out;
    }

    /** A new tenant with two domains and the departments the users name (departments are not an import kind). */
    private static void emptyTenant(AdminHttp admin) {
        FeishuHttp.Response created = admin.send("POST", "/admin/v1/tenants",
                "{\"key\":\"rt\",\"name\":\"Round Trip\",\"domains\":[\"rt.test\",\"rt-mail.test\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Tenants tenants = admin.server().directory().tenants();
        Tenant tenant = tenants.find("rt").orElseThrow();
        tenants.provision(Caller.seed("rt"), new Tenants.TenantSpec(tenant, List.of("rt.test", "rt-mail.test"),
                List.of(new Department("rt", "S1", "od-s1", "Sales", null), new Department("rt", "E1", "od-e1", "Eng", null)),
                List.of(), List.of(), List.of()));
    }
}
