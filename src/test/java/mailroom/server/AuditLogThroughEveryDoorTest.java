package mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.Golden;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestCallers;
import mailroom.testing.TestClock;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of write through every door leaves exactly the audit entries it should, as the audit log answers them:
 * the actor the door authenticated, the request id the door answered ({@code X-Tt-Logid} on the Feishu door,
 * {@code X-Request-Id} on the Hybridbox and operator doors, none for the seed), the object with its address, and
 * the states before and after — with no secret in any of them. The clock stands still between writes, so every
 * time is exact.
 */
class AuditLogThroughEveryDoorTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final TestClock CLOCK = TestClock.movable(T0);
    private static final Pattern SEQ = Pattern.compile("\"seq\": @(\\d+)");

    private static AdminHttp admin;
    private static FeishuHttp feishu;
    private static HybridboxHttp hybridbox;
    private final Map<String, String> vars = new HashMap<>();
    private long mark;

    @BeforeAll
    static void start() {
        admin = AdminHttp.start(Backend.SQLITE, o -> o, CLOCK);
        feishu = new FeishuHttp(admin.server().port());
        hybridbox = new HybridboxHttp(admin.server().port());
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @BeforeEach
    void markTheJournal() {
        mark = admin.server().directory().journal().lastSeq();
        vars.put("operator", admin.server().directory().operatorTokens().authenticate(admin.adminToken()).orElseThrow().id());
        vars.put("provisioning", admin.server().directory().serviceAccounts().authenticate(HybridboxHttp.PROVISIONING)
                .orElseThrow().serviceAccountId());
    }

    /** Moves the clock one second on and answers the time every entry of the next write carries. */
    private String tick() {
        CLOCK.advance(Duration.ofSeconds(1));
        return CLOCK.instant().toString();
    }

    private FeishuHttp.Response feishu(String rid, String method, String path, String body) {
        vars.put("t_" + rid, tick());
        FeishuHttp.Response r = feishu.call("cli_full", method, path, body);
        assertThat(r.json().path("code").asInt()).as(r.text()).isZero();
        vars.put(rid, r.header("X-Tt-Logid"));
        return r;
    }

    private FeishuHttp.Response hybridbox(String rid, String method, String path, String body, int status) {
        vars.put("t_" + rid, tick());
        FeishuHttp.Response r = hybridbox.call(HybridboxHttp.PROVISIONING, method, HybridboxHttp.path(HybridboxHttp.ACME, path), body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        vars.put(rid, r.header("X-Request-Id"));
        return r;
    }

    private FeishuHttp.Response admin(String rid, String method, String path, String body, int status) {
        vars.put("t_" + rid, tick());
        FeishuHttp.Response r = admin.send(method, "/admin/v1" + path, body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        vars.put(rid, r.header("X-Request-Id"));
        return r;
    }

    /**
     * The tenant's audit entries since the test began, newest first, match {@code expected} exactly: "@n" is the
     * n-th entry journalled since then, {{rid}} a request id the door answered and {{t_rid}} the time of that write.
     */
    private void assertEntriesSinceTheStart(String tenant, String expected) {
        FeishuHttp.Response r = admin.send("GET", "/admin/v1/tenants/" + tenant + "/audit?limit=500", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        var items = FeishuHttp.JSON.createArrayNode();
        for (JsonNode item : r.json().path("items")) {
            if (item.path("seq").asLong() > mark) items.add(item);
        }
        Matcher m = SEQ.matcher(expected);
        String numbered = m.replaceAll(g -> "\"seq\": " + (mark + Long.parseLong(g.group(1))));
        try {
            Golden.match(FeishuHttp.JSON.readTree(numbered), items, tenant + " audit", vars);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void feishuMailGroupWritesAreAuditedAsTheAppWithTheLogIdItAnswered() {
        String gid = feishu("create", "POST", "/open-apis/mail/v1/mailgroups", "{\"email\":\"sales@acme.test\",\"name\":\"Sales\"}")
                .json().path("data").path("mailgroup_id").asText();
        String groups = "/open-apis/mail/v1/mailgroups/" + gid;
        feishu("rename", "PATCH", groups, "{\"name\":\"Sales team\"}");
        String member = feishu("add", "POST", groups + "/members", "{\"type\":\"USER\",\"user_id\":\"ou_200\"}")
                .json().path("data").path("member_id").asText();
        feishu("remove", "DELETE", groups + "/members/" + member, null);
        feishu("alias", "POST", groups + "/aliases", "{\"email_alias\":\"team@acme.test\"}");
        feishu("delete", "DELETE", groups, null);
        vars.put("gid", gid);
        vars.put("member", member);

        assertEntriesSinceTheStart("acme", """
                [
                 {"seq": @7, "time": "{{t_delete}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{delete}}", "object": {"kind": "mail_group", "id": "{{gid}}", "address": "sales@acme.test"},
                  "op": "delete",
                  "before": {"id": "{{gid}}", "address": "sales@acme.test", "name": "Sales team", "description": "", "who_can_send": "ANYONE"},
                  "after": null},
                 {"seq": @6, "time": "{{t_delete}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{delete}}", "object": {"kind": "mail_group_alias", "id": "team@acme.test", "address": "team@acme.test"},
                  "op": "delete",
                  "before": {"address": "team@acme.test", "owner_id": "{{gid}}", "owner": "sales@acme.test", "catch_all": false},
                  "after": null},
                 {"seq": @5, "time": "{{t_alias}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{alias}}", "object": {"kind": "mail_group_alias", "id": "team@acme.test", "address": "team@acme.test"},
                  "op": "create", "before": null,
                  "after": {"address": "team@acme.test", "owner_id": "{{gid}}", "owner": "sales@acme.test", "catch_all": false}},
                 {"seq": @4, "time": "{{t_remove}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{remove}}", "object": {"kind": "mail_group_member", "id": "{{member}}", "address": "sales@acme.test"},
                  "op": "delete",
                  "before": {"id": "{{member}}", "mail_group_id": "{{gid}}", "mail_group": "sales@acme.test", "type": "USER",
                             "user_id": "u200", "department_id": null, "address": null},
                  "after": null},
                 {"seq": @3, "time": "{{t_add}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{add}}", "object": {"kind": "mail_group_member", "id": "{{member}}", "address": "sales@acme.test"},
                  "op": "create", "before": null,
                  "after": {"id": "{{member}}", "mail_group_id": "{{gid}}", "mail_group": "sales@acme.test", "type": "USER",
                            "user_id": "u200", "department_id": null, "address": null}},
                 {"seq": @2, "time": "{{t_rename}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{rename}}", "object": {"kind": "mail_group", "id": "{{gid}}", "address": "sales@acme.test"},
                  "op": "update",
                  "before": {"id": "{{gid}}", "address": "sales@acme.test", "name": "Sales", "description": "", "who_can_send": "ANYONE"},
                  "after": {"id": "{{gid}}", "address": "sales@acme.test", "name": "Sales team", "description": "", "who_can_send": "ANYONE"}},
                 {"seq": @1, "time": "{{t_create}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{create}}", "object": {"kind": "mail_group", "id": "{{gid}}", "address": "sales@acme.test"},
                  "op": "create", "before": null,
                  "after": {"id": "{{gid}}", "address": "sales@acme.test", "name": "Sales", "description": "", "who_can_send": "ANYONE"}}
                ]""");
    }

    @Test
    void feishuMailboxWritesAreAuditedWithTheMailboxesAddresses() {
        String pid = feishu("public", "POST", "/open-apis/mail/v1/public_mailboxes", "{\"email\":\"help@acme.test\",\"name\":\"Help\"}")
                .json().path("data").path("public_mailbox_id").asText();
        feishu("ualias", "POST", "/open-apis/mail/v1/user_mailboxes/alice@acme.test/aliases", "{\"email_alias\":\"ali@acme.test\"}");
        feishu("recycle", "DELETE", "/open-apis/mail/v1/public_mailboxes/" + pid + "/remove_to_recycle_bin", null);
        // A user mailbox leaves through the recycle bin: its user is removed (operator door), then Feishu deletes it.
        admin("unuser", "DELETE", "/tenants/acme/users/u300", null, 204);
        feishu("release", "DELETE", "/open-apis/mail/v1/user_mailboxes/carol@acme.test", null);
        vars.put("pid", pid);
        vars.put("alice", admin.server().directory().mailboxes().get(TestCallers.as("acme"), "alice@acme.test").mailbox().id());

        assertEntriesSinceTheStart("acme", """
                [
                 {"seq": @6, "time": "{{t_release}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{release}}", "object": {"kind": "user_mailbox", "id": "{{?carol}}", "address": "carol@acme.test"},
                  "op": "delete",
                  "before": {"id": "{{?carol}}", "address": "carol@acme.test", "user_id": null, "first_name": "Carol", "last_name": "Wu",
                             "status": "RECYCLED"},
                  "after": null},
                 {"seq": @5, "time": "{{t_unuser}}", "tenant": "acme", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{unuser}}", "object": {"kind": "user", "id": "u300"}, "op": "delete",
                  "before": {"user_id": "u300", "open_id": "ou_300", "union_id": "on_300", "name": "Carol Wu", "departments": ["D200"]},
                  "after": null},
                 {"seq": @4, "time": "{{t_unuser}}", "tenant": "acme", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{unuser}}", "object": {"kind": "user_mailbox", "id": "{{?carol}}", "address": "carol@acme.test"},
                  "op": "recycle",
                  "before": {"id": "{{?carol}}", "address": "carol@acme.test", "user_id": "u300", "first_name": "Carol", "last_name": "Wu",
                             "status": "ACTIVE"},
                  "after": {"id": "{{?carol}}", "address": "carol@acme.test", "user_id": null, "first_name": "Carol", "last_name": "Wu",
                            "status": "RECYCLED"}},
                 {"seq": @3, "time": "{{t_recycle}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{recycle}}", "object": {"kind": "public_mailbox", "id": "{{pid}}", "address": "help@acme.test"},
                  "op": "recycle",
                  "before": {"id": "{{pid}}", "address": "help@acme.test", "name": "Help", "geo": "cn", "status": "ACTIVE", "forward_to": null},
                  "after": {"id": "{{pid}}", "address": "help@acme.test", "name": "Help", "geo": "cn", "status": "RECYCLED", "forward_to": null}},
                 {"seq": @2, "time": "{{t_ualias}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{ualias}}", "object": {"kind": "user_mailbox_alias", "id": "ali@acme.test", "address": "ali@acme.test"},
                  "op": "create", "before": null,
                  "after": {"address": "ali@acme.test", "owner_id": "{{alice}}", "owner": "alice@acme.test", "catch_all": false}},
                 {"seq": @1, "time": "{{t_public}}", "tenant": "acme", "actor": {"kind": "feishu_app", "id": "cli_full"},
                  "request_id": "{{public}}", "object": {"kind": "public_mailbox", "id": "{{pid}}", "address": "help@acme.test"},
                  "op": "create", "before": null,
                  "after": {"id": "{{pid}}", "address": "help@acme.test", "name": "Help", "geo": "cn", "status": "ACTIVE", "forward_to": null}}
                ]""");
    }

    @Test
    void hybridboxMailboxWritesAreAuditedAsTheServiceAccountWithTheRequestIdItAnswered() {
        String id = hybridbox("create", "POST", "/mailboxes",
                "{\"domain\":\"acme.test\",\"local_part\":\"erin\",\"first_name\":\"Erin\",\"last_name\":\"Berg\"}", 201).json().path("id").asText();
        hybridbox("update", "PATCH", "/mailboxes/" + id, "{\"first_name\":\"Erina\"}", 200);
        hybridbox("delete", "DELETE", "/mailboxes/" + id, null, 204);
        vars.put("id", id);

        assertEntriesSinceTheStart("acme", """
                [
                 {"seq": @3, "time": "{{t_delete}}", "tenant": "acme", "actor": {"kind": "hybridbox_service_account", "id": "{{provisioning}}"},
                  "request_id": "{{delete}}", "object": {"kind": "user_mailbox", "id": "{{id}}", "address": "erin@acme.test"},
                  "op": "recycle",
                  "before": {"id": "{{id}}", "address": "erin@acme.test", "user_id": null, "first_name": "Erina", "last_name": "Berg", "status": "ACTIVE"},
                  "after": {"id": "{{id}}", "address": "erin@acme.test", "user_id": null, "first_name": "Erina", "last_name": "Berg", "status": "RECYCLED"}},
                 {"seq": @2, "time": "{{t_update}}", "tenant": "acme", "actor": {"kind": "hybridbox_service_account", "id": "{{provisioning}}"},
                  "request_id": "{{update}}", "object": {"kind": "user_mailbox", "id": "{{id}}", "address": "erin@acme.test"},
                  "op": "update",
                  "before": {"id": "{{id}}", "address": "erin@acme.test", "user_id": null, "first_name": "Erin", "last_name": "Berg", "status": "ACTIVE"},
                  "after": {"id": "{{id}}", "address": "erin@acme.test", "user_id": null, "first_name": "Erina", "last_name": "Berg", "status": "ACTIVE"}},
                 {"seq": @1, "time": "{{t_create}}", "tenant": "acme", "actor": {"kind": "hybridbox_service_account", "id": "{{provisioning}}"},
                  "request_id": "{{create}}", "object": {"kind": "user_mailbox", "id": "{{id}}", "address": "erin@acme.test"},
                  "op": "create", "before": null,
                  "after": {"id": "{{id}}", "address": "erin@acme.test", "user_id": null, "first_name": "Erin", "last_name": "Berg", "status": "ACTIVE"}}
                ]""");
    }

    @Test
    void operatorTenantAndDomainWritesAreAuditedAsTheOperatorTokenWithTheRequestIdItAnswered() {
        admin("create", "POST", "/tenants", "{\"key\":\"initech\",\"name\":\"Initech\",\"domains\":[\"initech.test\"]}", 201);
        admin("rename", "PATCH", "/tenants/initech", "{\"name\":\"Initech Ltd.\"}", 200);
        admin("domain", "POST", "/tenants/initech/domains", "{\"domain\":\"initech-mail.test\"}", 201);
        admin("undomain", "DELETE", "/tenants/initech/domains/initech-mail.test", null, 204);
        admin("delete", "DELETE", "/tenants/initech", null, 204);
        String limits = "\"limits\": {\"public_mailboxes\": 1000, \"mail_groups\": 1000, \"mail_group_members\": 10000, "
                + "\"aliases_per_address\": 10, \"public_mailboxes_per_user\": 50, \"user_mailboxes\": 10000}";
        String geo = "\"geo\": {\"multi_geo\": false, \"allowed\": [], \"default\": null}";

        // A deleted tenant's trail stays searchable while it is kept: its deletion is part of it.
        assertEntriesSinceTheStart("initech", """
                [
                 {"seq": @6, "time": "{{t_delete}}", "tenant": "initech", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{delete}}", "object": {"kind": "tenant", "id": "initech"}, "op": "delete",
                  "before": {"key": "initech", "name": "Initech Ltd.", GEO, LIMITS, "account_id": null}, "after": null},
                 {"seq": @5, "time": "{{t_undomain}}", "tenant": "initech", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{undomain}}", "object": {"kind": "domain", "id": "{{?mail}}"}, "op": "delete",
                  "before": {"id": "{{?mail}}", "name": "initech-mail.test"}, "after": null},
                 {"seq": @4, "time": "{{t_domain}}", "tenant": "initech", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{domain}}", "object": {"kind": "domain", "id": "{{?mail}}"}, "op": "create",
                  "before": null, "after": {"id": "{{?mail}}", "name": "initech-mail.test"}},
                 {"seq": @3, "time": "{{t_rename}}", "tenant": "initech", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{rename}}", "object": {"kind": "tenant", "id": "initech"}, "op": "update",
                  "before": {"key": "initech", "name": "Initech", GEO, LIMITS, "account_id": null},
                  "after": {"key": "initech", "name": "Initech Ltd.", GEO, LIMITS, "account_id": null}},
                 {"seq": @2, "time": "{{t_create}}", "tenant": "initech", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{create}}", "object": {"kind": "domain", "id": "{{?main}}"}, "op": "create",
                  "before": null, "after": {"id": "{{?main}}", "name": "initech.test"}},
                 {"seq": @1, "time": "{{t_create}}", "tenant": "initech", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{create}}", "object": {"kind": "tenant", "id": "initech"}, "op": "create",
                  "before": null, "after": {"key": "initech", "name": "Initech", GEO, LIMITS, "account_id": null}}
                ]""".replace("GEO", geo).replace("LIMITS", limits));
    }

    @Test
    void operatorAppUserServiceAccountAndTokenWritesAreAuditedWithoutTheirSecrets() {
        FeishuHttp.Response app = admin("app", "POST", "/tenants/globex/apps", "{\"app_id\":\"cli_audit\",\"scopes\":[\"mail:mailgroup\"]}", 201);
        assertThat(app.json().path("app_secret").asText()).isNotEmpty();
        admin("rotate", "POST", "/tenants/globex/apps/cli_audit/rotate-secret", null, 200);
        admin("unapp", "DELETE", "/tenants/globex/apps/cli_audit", null, 204);
        admin("user", "POST", "/tenants/globex/users",
                "{\"user_id\":\"g200\",\"open_id\":\"ou_g200\",\"union_id\":\"on_g200\",\"name\":\"Hank Scorpio\",\"email\":\"hank@globex.test\"}", 201);
        admin("reuser", "PATCH", "/tenants/globex/users/g200", "{\"name\":\"Hank S.\"}", 200);
        FeishuHttp.Response sa = admin("sa", "POST", "/tenants/globex/service-accounts",
                "{\"name\":\"hr-sync\",\"permissions\":[\"mailbox.view\"]}", 201);
        admin("unsa", "DELETE", "/tenants/globex/service-accounts/" + sa.json().path("id").asText(), null, 204);
        FeishuHttp.Response token = admin("token", "POST", "/operator-tokens", "{\"name\":\"ci\",\"role\":\"viewer\",\"tenant\":\"globex\"}", 201);
        admin("revoke", "DELETE", "/operator-tokens/" + token.json().path("id").asText(), null, 204);
        vars.put("sa_id", sa.json().path("id").asText());
        vars.put("public", sa.json().path("token_public_id").asText());
        vars.put("token_id", token.json().path("id").asText());
        vars.put("revoked", Long.toString(Instant.parse(vars.get("t_revoke")).toEpochMilli()));

        assertEntriesSinceTheStart("globex", """
                [
                 {"seq": @10, "time": "{{t_revoke}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{revoke}}", "object": {"kind": "operator_token", "id": "{{token_id}}"}, "op": "update",
                  "before": {"id": "{{token_id}}", "name": "ci", "role": "viewer", "tenant": "globex", "revoked_at": null},
                  "after": {"id": "{{token_id}}", "name": "ci", "role": "viewer", "tenant": "globex", "revoked_at": REVOKED}},
                 {"seq": @9, "time": "{{t_token}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{token}}", "object": {"kind": "operator_token", "id": "{{token_id}}"}, "op": "create",
                  "before": null, "after": {"id": "{{token_id}}", "name": "ci", "role": "viewer", "tenant": "globex", "revoked_at": null}},
                 {"seq": @8, "time": "{{t_unsa}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{unsa}}", "object": {"kind": "service_account", "id": "{{sa_id}}"}, "op": "update",
                  "before": {"id": "{{sa_id}}", "name": "hr-sync", "token_public_id": "{{public}}", "permissions": ["mailbox.view"],
                             "expires_at": null, "revoked_at": null},
                  "after": {"id": "{{sa_id}}", "name": "hr-sync", "token_public_id": "{{public}}", "permissions": ["mailbox.view"],
                            "expires_at": null, "revoked_at": UNSA}},
                 {"seq": @7, "time": "{{t_sa}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{sa}}", "object": {"kind": "service_account", "id": "{{sa_id}}"}, "op": "create", "before": null,
                  "after": {"id": "{{sa_id}}", "name": "hr-sync", "token_public_id": "{{public}}", "permissions": ["mailbox.view"],
                            "expires_at": null, "revoked_at": null}},
                 {"seq": @6, "time": "{{t_reuser}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{reuser}}", "object": {"kind": "user", "id": "g200"}, "op": "update",
                  "before": {"user_id": "g200", "open_id": "ou_g200", "union_id": "on_g200", "name": "Hank Scorpio", "departments": []},
                  "after": {"user_id": "g200", "open_id": "ou_g200", "union_id": "on_g200", "name": "Hank S.", "departments": []}},
                 {"seq": @5, "time": "{{t_user}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{user}}", "object": {"kind": "user_mailbox", "id": "{{?hank}}", "address": "hank@globex.test"},
                  "op": "create", "before": null,
                  "after": {"id": "{{?hank}}", "address": "hank@globex.test", "user_id": "g200", "first_name": "Hank", "last_name": "Scorpio",
                            "status": "ACTIVE"}},
                 {"seq": @4, "time": "{{t_user}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{user}}", "object": {"kind": "user", "id": "g200"}, "op": "create", "before": null,
                  "after": {"user_id": "g200", "open_id": "ou_g200", "union_id": "on_g200", "name": "Hank Scorpio", "departments": []}},
                 {"seq": @3, "time": "{{t_unapp}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{unapp}}", "object": {"kind": "app", "id": "cli_audit"}, "op": "delete",
                  "before": {"app_id": "cli_audit", "scopes": ["mail:mailgroup"]}, "after": null},
                 {"seq": @2, "time": "{{t_rotate}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{rotate}}", "object": {"kind": "app", "id": "cli_audit"}, "op": "update",
                  "before": {"app_id": "cli_audit", "scopes": ["mail:mailgroup"]}, "after": {"app_id": "cli_audit", "scopes": ["mail:mailgroup"]}},
                 {"seq": @1, "time": "{{t_app}}", "tenant": "globex", "actor": {"kind": "operator", "id": "{{operator}}"},
                  "request_id": "{{app}}", "object": {"kind": "app", "id": "cli_audit"}, "op": "create", "before": null,
                  "after": {"app_id": "cli_audit", "scopes": ["mail:mailgroup"]}}
                ]""".replace("REVOKED", vars.get("revoked"))
                .replace("UNSA", Long.toString(Instant.parse(vars.get("t_unsa")).toEpochMilli())));
    }

    @Test
    void theSeedsWritesAreAuditedAsTheSeedWithoutARequestIdOrASecret() {
        vars.put("t0", T0.toString());
        vars.put("globex_sa", admin.server().directory().serviceAccounts().authenticate(HybridboxHttp.GLOBEX_PROVISIONING)
                .orElseThrow().serviceAccountId());
        FeishuHttp.Response r = admin.send("GET", "/admin/v1/tenants/globex/audit?actor=seed", null);
        assertThat(r.status()).isEqualTo(200);
        var seedOnly = FeishuHttp.JSON.createArrayNode();
        r.json().path("items").forEach(seedOnly::add);
        try {
            Golden.match(FeishuHttp.JSON.readTree("""
                [
                 {"seq": "{{#}}", "time": "{{t0}}", "tenant": "globex", "actor": {"kind": "seed", "id": "seed"}, "request_id": null,
                  "object": {"kind": "user_mailbox", "id": "{{?gina}}", "address": "gina@globex.test"}, "op": "create", "before": null,
                  "after": {"id": "{{?gina}}", "address": "gina@globex.test", "user_id": "g100", "first_name": "Gina", "last_name": "Globex",
                            "status": "ACTIVE"}},
                 {"seq": "{{#}}", "time": "{{t0}}", "tenant": "globex", "actor": {"kind": "seed", "id": "seed"}, "request_id": null,
                  "object": {"kind": "user", "id": "g100"}, "op": "create", "before": null,
                  "after": {"user_id": "g100", "open_id": "ou_g100", "union_id": "on_g100", "name": "Gina Globex", "departments": []}},
                 {"seq": "{{#}}", "time": "{{t0}}", "tenant": "globex", "actor": {"kind": "seed", "id": "seed"}, "request_id": null,
                  "object": {"kind": "service_account", "id": "{{globex_sa}}"}, "op": "create", "before": null,
                  "after": {"id": "{{globex_sa}}", "name": "provisioning", "token_public_id": "{{?public}}",
                            "permissions": ["mailbox.view", "mailbox.create", "mailbox.update", "mailbox.delete", "mailbox.alias.manage",
                                            "domain.view"], "expires_at": null, "revoked_at": null}},
                 {"seq": "{{#}}", "time": "{{t0}}", "tenant": "globex", "actor": {"kind": "seed", "id": "seed"}, "request_id": null,
                  "object": {"kind": "app", "id": "cli_globex"}, "op": "create", "before": null,
                  "after": {"app_id": "cli_globex", "scopes": ["mail:mailgroup", "mail:public_mailbox", "mail:user_mailbox"]}},
                 {"seq": "{{#}}", "time": "{{t0}}", "tenant": "globex", "actor": {"kind": "seed", "id": "seed"}, "request_id": null,
                  "object": {"kind": "domain", "id": "{{?domain}}"}, "op": "create", "before": null,
                  "after": {"id": "{{?domain}}", "name": "globex.test"}},
                 {"seq": "{{#}}", "time": "{{t0}}", "tenant": "globex", "actor": {"kind": "seed", "id": "seed"}, "request_id": null,
                  "object": {"kind": "tenant", "id": "globex"}, "op": "create", "before": null,
                  "after": {"key": "globex", "name": "Globex Corp.", "geo": {"multi_geo": false, "allowed": [], "default": null},
                            "limits": {"public_mailboxes": 1000, "mail_groups": 1000, "mail_group_members": 10000, "aliases_per_address": 10,
                                       "public_mailboxes_per_user": 50, "user_mailboxes": 10000},
                            "account_id": "7d4e9f10-5a2b-4c3d-8e9f-0a1b2c3d4e5f"}}
                ]"""), seedOnly, "globex seed", vars);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(r.text()).doesNotContain("secret-globex").doesNotContain("hbx_sa_globex_provisioning");
    }
}
