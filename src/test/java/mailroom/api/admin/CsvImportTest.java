package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import mailroom.testing.AdminHttp;
import mailroom.testing.DirectoryPicture;
import mailroom.testing.FeishuHttp;
import mailroom.testing.StoredState;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CSV import through the operator door on SQLite: rows land exactly as the answer reports them (the stored
 * directory is read back), a dry run changes no stored row, and importing the same file again changes and
 * journals nothing.
 */
class CsvImportTest {
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        admin = AdminHttp.start(TestServers.Backend.SQLITE);
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    static final String GROUPS = """
            email,name,description,who_can_send_mail
            sales@acme.test,Sales,"The sales team, all of it",ALL_INTERNAL_USERS
            eng@acme.test,Engineering,,anyone
            bad-address,X,,ANYONE
            ops@elsewhere.test,Ops,,
            alice@acme.test,Clash,,
            all@acme-mail.test,All,,NOBODY
            """;

    static final String MEMBERS = """
            group,type,member
            sales@acme.test,USER,u100
            sales@acme.test,DEPARTMENT,D200
            sales@acme.test,USER,nobody
            sales@acme.test,COMPANY,
            eng@acme.test,MAIL_GROUP,sales@acme.test
            sales@acme.test,MAIL_GROUP,eng@acme.test
            missing@acme.test,USER,u100
            sales@acme.test,ROBOT,x
            sales@acme.test,EXTERNAL_USER,Partner@Example.com
            sales@acme.test,USER,u100
            eng@acme.test,USER
            """;

    static final String ALIASES = """
            address,alias
            sales@acme.test,team@acme.test
            alice@acme.test,alice.liu@acme-mail.test
            sales@acme.test,bob@acme.test
            nobody@acme.test,x@acme.test
            team@acme.test,y@acme.test
            """;

    private static JsonNode json(String text) throws Exception {
        return FeishuHttp.JSON.readTree(text);
    }

    @Test
    void mixedValidAndInvalidRowsLandExactlyAsReportedAndAReimportChangesAndJournalsNothing() throws Exception {
        FeishuHttp.Response groups = admin.importCsv("acme", "kind=mail_groups", GROUPS);
        assertThat(groups.status()).as(groups.text()).isEqualTo(200);
        assertThat(groups.json()).isEqualTo(json("""
                {"dry_run": false, "rows": 6, "created": 2, "updated": 0, "failed": [
                  {"row": 3, "code": "invalid_field", "message": "email is not a valid mail address"},
                  {"row": 4, "code": "not_found", "message": "domain elsewhere.test is not a domain of this tenant"},
                  {"row": 5, "code": "address_taken", "message": "alice@acme.test is a user's login account"},
                  {"row": 6, "code": "invalid_field",
                   "message": "who_can_send_mail must be one of ANYONE, ALL_INTERNAL_USERS, ALL_GROUP_MEMBERS, CUSTOM_MEMBERS, not 'NOBODY'"}]}
                """));
        FeishuHttp.Response members = admin.importCsv("acme", "kind=members", MEMBERS);
        assertThat(members.json()).as(members.text()).isEqualTo(json("""
                {"dry_run": false, "rows": 11, "created": 5, "updated": 0, "failed": [
                  {"row": 3, "code": "not_found", "message": "user nobody not found"},
                  {"row": 6, "code": "conflict", "message": "mail group eng@acme.test contains sales@acme.test; adding it would make a cycle"},
                  {"row": 7, "code": "not_found", "message": "mail group missing@acme.test not found"},
                  {"row": 8, "code": "invalid_field",
                   "message": "type must be one of USER, DEPARTMENT, COMPANY, EXTERNAL_USER, MAIL_GROUP, PUBLIC_MAILBOX, OTHER_MEMBER, not 'ROBOT'"},
                  {"row": 11, "code": "invalid_field", "message": "row has 2 fields; the header has 3"}]}
                """));
        FeishuHttp.Response aliases = admin.importCsv("acme", "kind=aliases", ALIASES);
        assertThat(aliases.json()).as(aliases.text()).isEqualTo(json("""
                {"dry_run": false, "rows": 5, "created": 2, "updated": 0, "failed": [
                  {"row": 3, "code": "address_taken", "message": "bob@acme.test is a user's login account"},
                  {"row": 4, "code": "not_found", "message": "nobody@acme.test is not the address of a mailbox or mail group of this tenant"},
                  {"row": 5, "code": "invalid_field", "message": "team@acme.test is itself an alias: name its owner's primary address"}]}
                """));

        List<String> picture = DirectoryPicture.of(admin.server().directory(), "acme");
        assertThat(picture).filteredOn(line -> !line.startsWith("mailbox ") && !line.startsWith("user ")).containsExactly(
                "alias alice.liu@acme-mail.test of alice@acme.test",
                "alias team@acme.test of sales@acme.test",
                "group eng@acme.test name=Engineering description= who=ANYONE members=1",
                "group sales@acme.test name=Sales description=The sales team, all of it who=ALL_INTERNAL_USERS members=4",
                "member of eng@acme.test MAIL_GROUP sales@acme.test",
                "member of sales@acme.test COMPANY null",
                "member of sales@acme.test DEPARTMENT D200",
                "member of sales@acme.test EXTERNAL_USER partner@example.com",
                "member of sales@acme.test USER u100");

        long journalled = admin.server().directory().journal().lastSeq();
        String stored = StoredState.of(admin.options());
        for (String[] kind : new String[][] {{"mail_groups", GROUPS}, {"members", MEMBERS}, {"aliases", ALIASES}}) {
            JsonNode again = admin.importCsv("acme", "kind=" + kind[0], kind[1]).json();
            assertThat(again.get("created").asInt() + again.get("updated").asInt()).as("re-import of %s", kind[0]).isZero();
        }
        assertThat(admin.server().directory().journal().lastSeq()).as("nothing journalled by the re-import").isEqualTo(journalled);
        assertThat(StoredState.of(admin.options())).as("nothing stored changed by the re-import").isEqualTo(stored);
    }

    @Test
    void aDryRunValidatesEveryRowAsTheImportWouldAndChangesNoStoredRow() throws Exception {
        String groups = """
                email,name
                dry1@globex.test,Dry One
                dry2@globex.test,Dry Two
                dry1@globex.test,Dry One renamed
                gina@globex.test,Clash
                """;
        String stored = StoredState.of(admin.options());
        long journalled = admin.server().directory().journal().lastSeq();
        FeishuHttp.Response dry = admin.importCsv("globex", "kind=mail_groups&dry_run=true", groups);
        assertThat(dry.json()).as(dry.text()).isEqualTo(json("""
                {"dry_run": true, "rows": 4, "created": 2, "updated": 1, "failed": [
                  {"row": 4, "code": "address_taken", "message": "gina@globex.test is a user's login account"}]}
                """));
        String members = "group,type,member\ndry1@globex.test,USER,g100\n";
        assertThat(admin.importCsv("globex", "kind=members&dry_run=true", members).json().get("failed").get(0).get("code").asText())
                .as("a dry run of members does not see groups a dry run of groups did not make").isEqualTo("not_found");
        assertThat(StoredState.of(admin.options())).isEqualTo(stored);
        assertThat(admin.server().directory().journal().lastSeq()).isEqualTo(journalled);

        FeishuHttp.Response real = admin.importCsv("globex", "kind=mail_groups", groups);
        assertThat(real.json()).as("the real import does what the dry run said").isEqualTo(json(dry.text().replace("\"dry_run\":true",
                "\"dry_run\":false")));
    }

    @Test
    void aTenantLimitFailsTheRowsOverItAndKeepsTheOnesBefore() throws Exception {
        FeishuHttp.Response r = admin.importCsv("tiny", "kind=mail_groups", """
                email
                t1@tiny.test
                t2@tiny.test
                t3@tiny.test
                """);
        assertThat(r.json()).as(r.text()).isEqualTo(json("""
                {"dry_run": false, "rows": 3, "created": 2, "updated": 0, "failed": [
                  {"row": 3, "code": "limit_reached", "message": "mailing group count is over max limit 2"}]}
                """));
        assertThat(DirectoryPicture.of(admin.server().directory(), "tiny")).filteredOn(l -> l.startsWith("group ")).containsExactly(
                "group t1@tiny.test name= description= who=ANYONE members=0", "group t2@tiny.test name= description= who=ANYONE members=0");
    }

    @Test
    void usersRowsLandExactlyAsReportedByTheRulesOfAUserAndAReimportChangesNothing() throws Exception {
        String users = """
                user_id,name,email,departments,open_id,union_id
                u100,Alice Liu,alice@acme.test,D100,ou_100,on_100
                u500,Eve New,eve@acme.test,D100;D200,ou_500,on_500
                u600,Frank New,,,,
                bad id,Bad,bad@acme.test,,,
                u700,Gus,carol@acme.test,,,
                u800,Hal,hal@acme.test,D999,,
                u900,Ian,ian@acme.test,,ou_500,
                u950,Jo,eve@acme.test,,,
                u200,Bob Chen Renamed,,D200,,
                u400,Dan Mailless,dan@acme-mail.test,D200,,
                u960,Kim,kim@elsewhere.test,,,
                u970,,kim@acme.test,,,
                """;
        FeishuHttp.Response r = admin.importCsv("acme", "kind=users", users);
        assertThat(r.json()).as(r.text()).isEqualTo(json("""
                {"dry_run": false, "rows": 12, "created": 2, "updated": 2, "failed": [
                  {"row": 4, "code": "invalid_field",
                   "message": "user_id must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit"},
                  {"row": 5, "code": "address_taken", "message": "carol@acme.test is already the address of a user mailbox"},
                  {"row": 6, "code": "invalid_field", "message": "departments[0] names department D999, which does not exist"},
                  {"row": 7, "code": "conflict", "message": "open_id ou_500 belongs to user u500"},
                  {"row": 8, "code": "address_taken", "message": "eve@acme.test is already the address of a user mailbox"},
                  {"row": 11, "code": "invalid_field", "message": "domain elsewhere.test is not a domain of this tenant"},
                  {"row": 12, "code": "invalid_field", "message": "name is required"}]}
                """));
        List<String> picture = DirectoryPicture.of(admin.server().directory(), "acme");
        assertThat(picture).filteredOn(l -> l.startsWith("user ")).hasSize(6).contains(
                "user u100 name=Alice Liu open_id=ou_100 union_id=on_100 departments=[D100] mailbox=alice@acme.test ACTIVE",
                "user u200 name=Bob Chen Renamed open_id=ou_200 union_id=on_200 departments=[D200] mailbox=bob@acme.test ACTIVE",
                "user u400 name=Dan Mailless open_id=ou_400 union_id=on_400 departments=[D200] mailbox=dan@acme-mail.test ACTIVE",
                "user u500 name=Eve New open_id=ou_500 union_id=on_500 departments=[D100, D200] mailbox=eve@acme.test ACTIVE");
        assertThat(picture).anyMatch(l -> l.matches("user u600 name=Frank New open_id=ou_[0-9a-f]{32} union_id=on_[0-9a-f]{32}"
                + " departments=\\[] mailbox=null"));
        assertThat(admin.server().directory().mailboxes().get(mailroom.testing.TestCallers.as("acme"), "eve@acme.test")
                .mailbox().firstName()).isEqualTo("Eve");

        long journalled = admin.server().directory().journal().lastSeq();
        String stored = StoredState.of(admin.options());
        JsonNode again = admin.importCsv("acme", "kind=users", users).json();
        assertThat(again.get("created").asInt() + again.get("updated").asInt()).isZero();
        assertThat(again.get("failed")).hasSize(7);
        assertThat(admin.server().directory().journal().lastSeq()).isEqualTo(journalled);
        assertThat(StoredState.of(admin.options())).isEqualTo(stored);
    }
}
