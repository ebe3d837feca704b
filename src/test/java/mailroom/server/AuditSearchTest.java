package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The audit log's filters and paging, on SQLite and PostgreSQL: each filter answers exactly the entries of the
 * whole log that it names (compared as JSON, newest first), times bound the window from {@code since} (inclusive)
 * to {@code until} (exclusive), both actor forms, all three object forms, op, and a walk by cursor that sees every
 * entry once, newest first.
 */
class AuditSearchTest {
    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

    private final TestClock clock = TestClock.movable(T0);
    @AutoClose
    private AdminHttp admin;
    private FeishuHttp feishu;
    private String groupId;
    private String operator;
    private String serviceAccount;

    /** Five writes of tiny, ten minutes apart, by three actors: a group, a mailbox, a rename, a member in and out. */
    private void world(Backend backend) {
        admin = AdminHttp.start(backend, o -> o, clock);
        feishu = new FeishuHttp(admin.server().port());
        HybridboxHttp hybridbox = new HybridboxHttp(admin.server().port());
        operator = admin.server().directory().operatorTokens().authenticate(admin.adminToken()).orElseThrow().id();
        serviceAccount = admin.server().directory().serviceAccounts().authenticate(HybridboxHttp.TINY_PROVISIONING)
                .orElseThrow().serviceAccountId();
        at(1);
        groupId = feishuOk("POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"crew@tiny.test\"}").path("data").path("mailgroup_id").asText();
        at(2);
        assertThat(hybridbox.call(HybridboxHttp.TINY_PROVISIONING, "POST", HybridboxHttp.path(HybridboxHttp.TINY, "/mailboxes"),
                "{\"domain\":\"tiny.test\",\"local_part\":\"tim\",\"first_name\":\"Tim\",\"last_name\":\"Tiny\"}").status()).isEqualTo(201);
        at(3);
        assertThat(admin.send("PATCH", "/admin/v1/tenants/tiny", "{\"name\":\"Tiny Limited\"}").status()).isEqualTo(200);
        at(4);
        String member = feishuOk("POST", "/open-apis/mail/v1/mailgroups/" + groupId + "/members", "{\"type\":\"USER\",\"user_id\":\"ou_t100\"}")
                .path("data").path("member_id").asText();
        at(5);
        feishuOk("DELETE", "/open-apis/mail/v1/mailgroups/" + groupId + "/members/" + member, null);
    }

    /** Moves the clock to the {@code n}-th write's time. */
    private void at(int n) {
        clock.advance(Duration.between(clock.instant(), step(n)));
    }

    private static Instant step(int n) {
        return T0.plus(Duration.ofMinutes(10L * n));
    }

    private JsonNode feishuOk(String method, String path, String body) {
        FeishuHttp.Response r = feishu.call("cli_tiny", method, path, body);
        assertThat(r.json().path("code").asInt()).as(r.text()).isZero();
        return r.json();
    }

    private JsonNode audit(String query) {
        FeishuHttp.Response r = admin.send("GET", "/admin/v1/tenants/tiny/audit" + (query.isEmpty() ? "" : "?" + query), null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The whole log's answer with only the entries {@code which} keeps: what a filter must answer, exactly. */
    private static JsonNode only(JsonNode all, Predicate<JsonNode> which) {
        ObjectNode out = FeishuHttp.JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        all.path("items").forEach(e -> {
            if (which.test(e)) items.add(e);
        });
        return out;
    }

    private static List<String> ops(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("items").forEach(e -> out.add(e.path("object").path("kind").asText() + "." + e.path("op").asText()));
        return out;
    }

    private static Instant time(JsonNode e) {
        return Instant.parse(e.path("time").asText());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void timeFiltersAnswerTheWindowFromSinceUpToButNotIncludingUntil(Backend backend) {
        world(backend);
        JsonNode all = audit("limit=500");
        assertThat(all.has("next_cursor")).isFalse();
        Instant two = step(2);
        Instant four = step(4);

        JsonNode since = audit("since=" + q(two.toString()));
        assertThat(since).isEqualTo(only(all, e -> !time(e).isBefore(two)));
        assertThat(ops(since)).containsExactly("mail_group_member.delete", "mail_group_member.create", "tenant.update", "user_mailbox.create");

        JsonNode until = audit("until=" + q(two.toString()));
        assertThat(until).isEqualTo(only(all, e -> time(e).isBefore(two)));
        assertThat(ops(until).getFirst()).isEqualTo("mail_group.create");

        JsonNode window = audit("since=" + q(two.toString()) + "&until=" + q(four.toString()));
        assertThat(window).isEqualTo(only(all, e -> !time(e).isBefore(two) && time(e).isBefore(four)));
        assertThat(ops(window)).containsExactly("tenant.update", "user_mailbox.create");

        // Any offset is read as the instant it names.
        assertThat(audit("since=" + q("2026-05-04T16:20:00+08:00"))).isEqualTo(since);
        assertThat(audit("since=" + q(T0.plus(Duration.ofDays(1)).toString()))).isEqualTo(only(all, e -> false));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anActorIsFoundByKindAndIdOrByIdAlone(Backend backend) {
        world(backend);
        JsonNode all = audit("limit=500");
        JsonNode app = audit("actor=" + q("feishu_app:cli_tiny"));
        assertThat(app).isEqualTo(only(all, e -> e.path("actor").path("id").asText().equals("cli_tiny")));
        assertThat(ops(app)).containsExactly("mail_group_member.delete", "mail_group_member.create", "mail_group.create");
        assertThat(audit("actor=cli_tiny")).isEqualTo(app);
        assertThat(audit("actor=" + q("hybridbox_service_account:cli_tiny"))).as("the kind must match too").isEqualTo(only(all, e -> false));

        JsonNode account = audit("actor=" + q("hybridbox_service_account:" + serviceAccount));
        assertThat(ops(account)).containsExactly("user_mailbox.create");
        assertThat(account).isEqualTo(only(all, e -> e.path("actor").path("id").asText().equals(serviceAccount)));
        assertThat(audit("actor=" + q("operator:" + operator))).isEqualTo(audit("actor=" + operator));
        assertThat(ops(audit("actor=" + operator))).containsExactly("tenant.update");

        JsonNode seed = audit("actor=seed&limit=500");
        assertThat(seed).isEqualTo(only(all, e -> e.path("actor").path("kind").asText().equals("seed")));
        assertThat(seed.path("items").size()).isEqualTo(all.path("items").size() - 5);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anObjectIsFoundByKindAndIdByIdAloneOrByItsAddress(Backend backend) {
        world(backend);
        JsonNode all = audit("limit=500");
        JsonNode group = audit("object=" + q("mail_group:" + groupId));
        assertThat(ops(group)).containsExactly("mail_group.create");
        assertThat(group).isEqualTo(only(all, e -> e.path("object").path("id").asText().equals(groupId)));
        assertThat(audit("object=" + groupId)).isEqualTo(group);
        assertThat(audit("object=" + q("public_mailbox:" + groupId))).isEqualTo(only(all, e -> false));

        // An address finds the group and what belongs to it: "who removed whom from crew@, and when?"
        JsonNode address = audit("object=" + q("crew@tiny.test"));
        assertThat(ops(address)).containsExactly("mail_group_member.delete", "mail_group_member.create", "mail_group.create");
        assertThat(address).isEqualTo(only(all, e -> e.path("object").path("address").asText("").equals("crew@tiny.test")));
        assertThat(audit("object=" + q("CREW@Tiny.Test"))).as("addresses are stored lower-cased").isEqualTo(address);
        assertThat(ops(audit("object=" + q("mail_group_member:crew@tiny.test") + "&op=delete"))).containsExactly("mail_group_member.delete");

        JsonNode tenant = audit("object=" + q("tenant:tiny"));
        assertThat(ops(tenant)).containsExactly("tenant.update", "tenant.create");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOpFilterAndFiltersTogetherNarrowTheAnswer(Backend backend) {
        world(backend);
        JsonNode all = audit("limit=500");
        assertThat(audit("op=delete")).isEqualTo(only(all, e -> e.path("op").asText().equals("delete")));
        assertThat(ops(audit("op=delete"))).containsExactly("mail_group_member.delete");
        assertThat(audit("op=update")).isEqualTo(only(all, e -> e.path("op").asText().equals("update")));
        assertThat(audit("op=recycle")).isEqualTo(only(all, e -> false));
        assertThat(ops(audit("actor=cli_tiny&op=create&since=" + q(step(2).toString()))))
                .containsExactly("mail_group_member.create");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pagesWalkedByCursorSeeEveryEntryOnceNewestFirst(Backend backend) {
        world(backend);
        JsonNode all = audit("limit=500");
        List<JsonNode> walked = new ArrayList<>();
        JsonNode page = audit("limit=2");
        int pages = 1;
        while (true) {
            assertThat(page.path("items").size()).isBetween(1, 2);
            page.path("items").forEach(walked::add);
            if (!page.has("next_cursor")) break;
            assertThat(page.path("items").size()).isEqualTo(2);
            page = audit("limit=2&cursor=" + q(page.path("next_cursor").asText()));
            pages++;
        }
        assertThat(walked).isEqualTo(FeishuHttp.JSON.convertValue(all.path("items"), new com.fasterxml.jackson.core.type.TypeReference<List<JsonNode>>() {}));
        assertThat(pages).isEqualTo((all.path("items").size() + 1) / 2);
        Set<Long> seen = new HashSet<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode e : walked) {
            long seq = e.path("seq").asLong();
            assertThat(seen.add(seq)).as("seq %d twice", seq).isTrue();
            assertThat(seq).isLessThan(previous);
            previous = seq;
        }

        // The cursor keeps the filters' window: one entry a page, about crew@ only.
        JsonNode first = audit("object=crew%40tiny.test&limit=1");
        JsonNode second = audit("object=crew%40tiny.test&limit=1&cursor=" + q(first.path("next_cursor").asText()));
        JsonNode third = audit("object=crew%40tiny.test&limit=1&cursor=" + q(second.path("next_cursor").asText()));
        assertThat(ops(first)).containsExactly("mail_group_member.delete");
        assertThat(ops(second)).containsExactly("mail_group_member.create");
        assertThat(ops(third)).containsExactly("mail_group.create");
        assertThat(third.has("next_cursor")).as("a full last page says it is the last").isFalse();
    }
}
