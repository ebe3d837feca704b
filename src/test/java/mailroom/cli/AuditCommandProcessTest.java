package mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code mailroom audit} run as a process against a real server: the entries found as a table, newest first, every
 * page gathered (or one page with --limit, the next cursor on stderr), the API's entries with --json, and a refused
 * filter or an unknown tenant as one line with its exit code.
 */
class AuditCommandProcessTest extends CliServerTest {
    /** Request ids (a UTC timestamp and 20 hex digits) as a fixed word, like the other masks. */
    private static List<String> maskedIds(List<String> lines) {
        return maskedColumns(lines).stream().map(l -> l.replaceAll("\\b\\d{14}[0-9A-F]{20}\\b", "RID")).toList();
    }

    @Test
    void auditPrintsWhoDidWhatToWhichObjectNewestFirst() throws Exception {
        assertThat(server.send("POST", "/admin/v1/tenants/tiny/departments", "{\"department_id\":\"D900\",\"name\":\"Ops\"}").status())
                .isEqualTo(201);
        assertThat(server.send("PATCH", "/admin/v1/tenants/tiny/departments/D900", "{\"name\":\"Operations\"}").status()).isEqualTo(200);
        JsonNode entries = JSON.readTree(api("/tenants/tiny/audit?object=D900")).get("items");
        long seq = entries.get(0).get("seq").asLong();

        assertThat(maskedIds(ok(mailroom("audit", "--tenant", "tiny", "--object", "department:D900")).lines())).containsExactly(
                "SEQ  TIME  ACTOR  OP  OBJECT  ADDRESS  REQUEST_ID",
                seq + "  TIME  operator:UUID  update  department:D900  -  RID",
                (seq - 1) + "  TIME  operator:UUID  create  department:D900  -  RID");
        assertThat(maskedIds(ok(mailroom("audit", "--tenant", "tiny", "--actor", "seed", "--object", "tom@tiny.test")).lines()))
                .containsExactly(
                        "SEQ  TIME  ACTOR  OP  OBJECT  ADDRESS  REQUEST_ID",
                        entryOf("/tenants/tiny/audit?object=tom%40tiny.test").get("seq").asLong()
                                + "  TIME  seed:seed  create  user_mailbox:UUID  tom@tiny.test  -");
        // --json prints the entries as the API answers them.
        assertThat(JSON.readTree(ok(mailroom("audit", "--tenant", "tiny", "--object", "D900", "--op", "create", "--json")).stdout()))
                .isEqualTo(JSON.readTree(api("/tenants/tiny/audit?object=D900&op=create")));
    }

    private JsonNode entryOf(String path) throws Exception {
        return JSON.readTree(api(path)).get("items").get(0);
    }

    @Test
    void everyPageIsGatheredUnlessLimitAsksForOne() throws Exception {
        StringBuilder csv = new StringBuilder("user_id,name,email,departments,open_id,union_id\n");
        for (int i = 0; i < 300; i++) csv.append("p").append(i).append(",Person ").append(i).append(",p").append(i).append("@globex.test,,,\n");
        assertThat(server.importCsv("globex", "kind=users", csv.toString()).status()).isEqualTo(200);
        List<JsonNode> pages = new ArrayList<>();
        JsonNode page = JSON.readTree(api("/tenants/globex/audit?op=create&limit=500"));
        while (true) {
            page.get("items").forEach(pages::add);
            if (!page.has("next_cursor")) break;
            page = JSON.readTree(api("/tenants/globex/audit?op=create&limit=500&cursor=" + page.get("next_cursor").asText()));
        }
        assertThat(pages).hasSize(606);

        JsonNode gathered = JSON.readTree(ok(mailroom("audit", "--tenant", "globex", "--op", "create", "--json")).stdout());
        assertThat(gathered.get("items")).hasSize(606);
        assertThat(gathered.has("next_cursor")).isFalse();
        for (int i = 0; i < 606; i++) assertThat(gathered.get("items").get(i)).isEqualTo(pages.get(i));
        assertThat(ok(mailroom("audit", "--tenant", "globex", "--op", "create")).lines()).hasSize(1 + 606);

        CliRun.Ended one = mailroom("audit", "--tenant", "globex", "--limit", "2");
        assertThat(one.exit()).isZero();
        assertThat(one.lines()).hasSize(3);
        assertThat(one.errors()).singleElement().asString().startsWith("mailroom: more: --cursor ");
        String cursor = one.errors().get(0).substring("mailroom: more: --cursor ".length());
        CliRun.Ended next = mailroom("audit", "--tenant", "globex", "--limit", "2", "--cursor", cursor);
        assertThat(next.lines().get(1)).startsWith((pages.get(0).get("seq").asLong() - 2) + "  ");
    }

    @Test
    void aRefusedFilterIsOneLineWithExit11AndAnUnknownTenantExit9() throws Exception {
        assertFailed(mailroom("audit", "--tenant", "tiny", "--since", "yesterday", "--op", "destroy"), 11,
                "mailroom: validation: 2 fields are invalid (since: must be an RFC 3339 time with an offset, e.g. 2026-01-31T09:00:00Z;"
                        + " op: must be one of create, update, delete, recycle)");
        assertFailed(mailroom("audit", "--tenant", "nosuch"), 9, "mailroom: not-found: tenant not found");
    }
}
