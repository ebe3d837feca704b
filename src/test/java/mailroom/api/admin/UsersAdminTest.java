package mailroom.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mailroom.directory.Change;
import mailroom.testing.AdminHttp;
import mailroom.testing.FeishuHttp;
import mailroom.testing.HybridboxHttp;
import mailroom.testing.TestServers.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Users through the operator door against the other doors, on both databases: the one namespace refuses an
 * address any kind of owner holds, address ownership answers alike for what every door made, and deleting a
 * user recycles its mailbox the way Feishu's users/query and release see it.
 */
class UsersAdminTest {
    private static final String USERS = "/admin/v1/tenants/acme/users";
    private static final String QUERY = "/open-apis/mail/v1/users/query";
    private static final String MAIL = "/open-apis/mail/v1";

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAddressAnyOwnerHoldsIsRefusedNamingItsKindAndNothingIsStored(Backend backend) throws Exception {
        try (AdminHttp admin = AdminHttp.start(backend)) {
            FeishuHttp feishu = new FeishuHttp(admin.server().port());
            HybridboxHttp hybridbox = new HybridboxHttp(admin.server().port());
            String group = ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups", "{\"email\":\"team@acme.test\"}"))
                    .get("mailgroup_id").asText();
            ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups/" + group + "/aliases", "{\"email_alias\":\"crew@acme.test\"}"));
            String box = ok(feishu.call("cli_full", "POST", MAIL + "/public_mailboxes",
                    "{\"email\":\"desk@acme.test\",\"name\":\"Desk\"}")).get("public_mailbox_id").asText();
            ok(feishu.call("cli_full", "POST", MAIL + "/public_mailboxes/" + box + "/aliases", "{\"email_alias\":\"help@acme.test\"}"));
            ok(feishu.call("cli_full", "POST", MAIL + "/user_mailboxes/bob@acme.test/aliases", "{\"email_alias\":\"bobby@acme.test\"}"));
            FeishuHttp.Response solo = hybridbox.call(HybridboxHttp.PROVISIONING, "POST",
                    HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes"),
                    "{\"domain\":\"acme.test\",\"local_part\":\"solo\",\"first_name\":\"So\",\"last_name\":\"Lo\"}");
            assertThat(solo.status()).isEqualTo(201);
            String soloId = solo.json().get("id").asText();
            long before = admin.server().directory().journal().lastSeq();

            String[][] taken = {
                {"alice@acme.test", "a user mailbox"},
                {"bobby@acme.test", "an alias of a user mailbox"},
                {"solo@acme.test", "a user mailbox"},
                {"desk@acme.test", "a public mailbox"},
                {"help@acme.test", "an alias of a public mailbox"},
                {"team@acme.test", "a mail group"},
                {"crew@acme.test", "an alias of a mail group"}};
            for (String[] t : taken) {
                FeishuHttp.Response r = admin.send("POST", USERS, "{\"user_id\":\"u900\",\"name\":\"Late Comer\",\"email\":\"" + t[0] + "\"}");
                assertThat(r.status()).as(t[0]).isEqualTo(409);
                assertThat(r.json().get("detail").asText()).isEqualTo(t[0] + " is already the address of " + t[1]);
                FeishuHttp.Response patch = admin.send("PATCH", USERS + "/u400", "{\"email\":\"" + t[0] + "\"}");
                assertThat(patch.status()).as(t[0]).isEqualTo(409);
            }
            assertThat(admin.send("GET", USERS + "/u900", null).status()).isEqualTo(404);
            assertThat(admin.send("GET", USERS + "/u400", null).json().get("email").isNull()).isTrue();
            assertThat(admin.server().directory().journal().lastSeq()).as("refusals journal nothing").isEqualTo(before);

            // The same answer shape for every owner, with the ids the other doors use.
            assertOwner(admin, "team@acme.test", "mail_group", group, "team@acme.test", false, null);
            assertOwner(admin, "crew@acme.test", "mail_group", group, "team@acme.test", true, null);
            assertOwner(admin, "desk@acme.test", "public_mailbox", box, "desk@acme.test", false, null);
            assertOwner(admin, "help@acme.test", "public_mailbox", box, "desk@acme.test", true, null);
            assertOwner(admin, "solo@acme.test", "user_mailbox", soloId, "solo@acme.test", false, null);
            String bobMailbox = admin.send("GET", USERS + "/u200", null).json().get("mailbox").get("id").asText();
            assertOwner(admin, "bobby@acme.test", "user_mailbox", bobMailbox, "bob@acme.test", true, "u200");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aUserCreatedThroughTheOperatorDoorIsAMailboxForTheOtherDoors(Backend backend) throws Exception {
        try (AdminHttp admin = AdminHttp.start(backend)) {
            FeishuHttp feishu = new FeishuHttp(admin.server().port());
            HybridboxHttp hybridbox = new HybridboxHttp(admin.server().port());
            FeishuHttp.Response created = admin.send("POST", USERS,
                    "{\"user_id\":\"u500\",\"name\":\"Eve Park\",\"email\":\"eve@acme.test\",\"departments\":[\"D200\"]}");
            assertThat(created.status()).isEqualTo(201);
            String mailbox = created.json().get("mailbox").get("id").asText();

            assertThat(ok(feishu.call("cli_full", "POST", QUERY, "{\"email_list\":[\"eve@acme.test\"]}")).get("user_list"))
                    .isEqualTo(FeishuHttp.JSON.readTree("[{\"email\":\"eve@acme.test\",\"status\":4,\"type\":1}]"));
            FeishuHttp.Response fromHybridbox = hybridbox.call(HybridboxHttp.VIEWER, "GET",
                    HybridboxHttp.path(HybridboxHttp.ACME, "/mailboxes/" + mailbox), null);
            assertThat(fromHybridbox.status()).isEqualTo(200);
            assertThat(fromHybridbox.json().get("primary_email").asText()).isEqualTo("eve@acme.test");
            assertThat(fromHybridbox.json().get("first_name").asText()).isEqualTo("Eve");
            assertThat(fromHybridbox.json().get("last_name").asText()).isEqualTo("Park");
            // A USER member by user_id reaches the new user: the Feishu door knows the user.
            String group = ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups", "{\"email\":\"team@acme.test\"}"))
                    .get("mailgroup_id").asText();
            ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups/" + group + "/members?user_id_type=user_id",
                    "{\"user_id\":\"u500\",\"type\":\"USER\"}"));

            // The journal names the operator token as the actor of both changes.
            List<Change.Entry> entries = admin.server().directory().journal().after(0, 10_000);
            List<String> operatorChanges = new ArrayList<>();
            for (Change.Entry e : entries) {
                Change c = e.change();
                if (c.caller().actorKind() == mailroom.directory.Caller.ActorKind.OPERATOR) {
                    operatorChanges.add(c.objectKind() + " " + c.op() + " " + c.objectId());
                }
            }
            assertThat(operatorChanges).containsExactly("USER CREATE u500", "USER_MAILBOX CREATE " + mailbox);

            // A new address keeps the old one as the mailbox's alias, as users/query sees it.
            assertThat(admin.send("PATCH", USERS + "/u500", "{\"email\":\"eve.park@acme.test\"}").status()).isEqualTo(200);
            assertThat(ok(feishu.call("cli_full", "POST", QUERY, "{\"email_list\":[\"eve.park@acme.test\",\"eve@acme.test\"]}"))
                    .get("user_list")).isEqualTo(FeishuHttp.JSON.readTree("""
                    [{"email":"eve.park@acme.test","status":4,"type":1},{"email":"eve@acme.test","status":4,"type":2}]"""));
            assertThat(ok(feishu.call("cli_full", "GET", MAIL + "/user_mailboxes/eve.park@acme.test/aliases", null)).get("items"))
                    .isEqualTo(FeishuHttp.JSON.readTree("[{\"primary_email\":\"eve.park@acme.test\",\"email_alias\":\"eve@acme.test\"}]"));

            // A patch that changes nothing journals nothing.
            long seq = admin.server().directory().journal().lastSeq();
            assertThat(admin.send("PATCH", USERS + "/u500", "{\"name\":\"Eve Park\",\"email\":\"EVE.Park@acme.test\",\"departments\":[\"D200\"]}")
                    .status()).isEqualTo(200);
            assertThat(admin.server().directory().journal().lastSeq()).isEqualTo(seq);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deletingAUserRecyclesItsMailboxWhichUsersQueryAnswersAs5AndReleaseFreesForANewUser(Backend backend) throws Exception {
        try (AdminHttp admin = AdminHttp.start(backend)) {
            FeishuHttp feishu = new FeishuHttp(admin.server().port());
            ok(feishu.call("cli_full", "POST", MAIL + "/user_mailboxes/alice@acme.test/aliases", "{\"email_alias\":\"al@acme.test\"}"));
            String group = ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups",
                    "{\"email\":\"team@acme.test\",\"who_can_send_mail\":\"CUSTOM_MEMBERS\"}")).get("mailgroup_id").asText();
            ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups/" + group + "/members?user_id_type=user_id",
                    "{\"user_id\":\"u100\",\"type\":\"USER\"}"));
            ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups/" + group + "/members?user_id_type=user_id",
                    "{\"user_id\":\"u200\",\"type\":\"USER\"}"));
            ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups/" + group + "/permission_members?user_id_type=user_id",
                    "{\"user_id\":\"u100\",\"type\":\"USER\"}"));
            ok(feishu.call("cli_full", "POST", MAIL + "/mailgroups/" + group + "/managers/batch_create?user_id_type=user_id",
                    "{\"mailgroup_manager_list\":[{\"user_id\":\"u100\"}]}"));
            String box = ok(feishu.call("cli_full", "POST", MAIL + "/public_mailboxes",
                    "{\"email\":\"desk@acme.test\",\"name\":\"Desk\"}")).get("public_mailbox_id").asText();
            ok(feishu.call("cli_full", "POST", MAIL + "/public_mailboxes/" + box + "/members?user_id_type=user_id",
                    "{\"user_id\":\"u100\",\"type\":\"USER\"}"));

            assertThat(admin.send("DELETE", USERS + "/u100", null).status()).isEqualTo(204);

            assertThat(ok(feishu.call("cli_full", "POST", QUERY, "{\"email_list\":[\"alice@acme.test\",\"al@acme.test\"]}"))
                    .get("user_list")).isEqualTo(FeishuHttp.JSON.readTree("""
                    [{"email":"alice@acme.test","status":5,"type":1},{"email":"al@acme.test","status":5,"type":2}]"""));
            // Its memberships, permission, manager role and public mailbox membership went with it; others stay.
            JsonNode members = ok(feishu.call("cli_full", "GET", MAIL + "/mailgroups/" + group + "/members?user_id_type=user_id", null));
            assertThat(members.get("items")).hasSize(1);
            assertThat(members.get("items").get(0).get("user_id").asText()).isEqualTo("u200");
            assertThat(ok(feishu.call("cli_full", "GET", MAIL + "/mailgroups/" + group + "/permission_members", null))
                    .path("items")).isEmpty();
            assertThat(ok(feishu.call("cli_full", "GET", MAIL + "/mailgroups/" + group + "/managers", null)).path("items")).isEmpty();
            assertThat(ok(feishu.call("cli_full", "GET", MAIL + "/public_mailboxes/" + box + "/members", null)).path("items")).isEmpty();
            // The address stays reserved until released.
            assertThat(admin.send("POST", USERS, "{\"user_id\":\"u100\",\"name\":\"Alice Again\",\"email\":\"alice@acme.test\"}")
                    .status()).isEqualTo(409);

            // Feishu #45 releases the recycled mailbox; its address and alias are then free.
            FeishuHttp.Response released = feishu.call("cli_full", "DELETE", MAIL + "/user_mailboxes/alice@acme.test", null);
            assertThat(released.status()).isEqualTo(200);
            assertThat(released.json().get("msg").asText()).isEqualTo("release mail address success");
            assertThat(ok(feishu.call("cli_full", "POST", QUERY, "{\"email_list\":[\"alice@acme.test\",\"al@acme.test\"]}"))
                    .get("user_list")).isEqualTo(FeishuHttp.JSON.readTree("""
                    [{"email":"alice@acme.test","status":3},{"email":"al@acme.test","status":3}]"""));
            assertThat(admin.send("GET", "/admin/v1/tenants/acme/addresses/alice@acme.test", null).status()).isEqualTo(404);
            FeishuHttp.Response again = admin.send("POST", USERS,
                    "{\"user_id\":\"u100\",\"open_id\":\"ou_100\",\"name\":\"Alice Again\",\"email\":\"alice@acme.test\"}");
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.json().get("mailbox").get("status").asText()).isEqualTo("active");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoUsersRacingForOneAddressGetItOnceAndTheOtherA409(Backend backend) throws Exception {
        try (AdminHttp admin = AdminHttp.start(backend)) {
            int racers = 6;
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    String body = "{\"user_id\":\"r" + i + "\",\"name\":\"Racer " + i + "\",\"email\":\"prize@acme.test\"}";
                    Callable<Integer> racer = () -> {
                        start.await();
                        return admin.send("POST", USERS, body).status();
                    };
                    results.add(pool.submit(racer));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) statuses.add(f.get());
                assertThat(statuses).containsOnly(201, 409);
                assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            JsonNode owner = admin.send("GET", "/admin/v1/tenants/acme/addresses/prize@acme.test", null).json();
            String winner = owner.get("user_id").asText();
            assertThat(admin.send("GET", USERS + "/" + winner, null).json().get("email").asText()).isEqualTo("prize@acme.test");
            assertThat(admin.send("GET", USERS + "?search=racer", null).json().get("items")).hasSize(1);
        }
    }

    private static void assertOwner(AdminHttp admin, String address, String kind, String id, String primary, boolean alias,
                                    String userId) throws Exception {
        FeishuHttp.Response r = admin.send("GET", "/admin/v1/tenants/acme/addresses/" + address, null);
        assertThat(r.status()).as(address).isEqualTo(200);
        assertThat(r.json()).as(address).isEqualTo(FeishuHttp.JSON.readTree(String.format("""
                {"address": "%s", "owner_kind": "%s", "owner_id": "%s", "status": "active", "primary_address": "%s",
                 "alias": %s, "catch_all": false, "user_id": %s}""", address, kind, id, primary, alias,
                userId == null ? "null" : "\"" + userId + "\"")));
    }

    /** The data of a Feishu answer that must have succeeded. */
    private static JsonNode ok(FeishuHttp.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("code").asInt()).as(r.text()).isZero();
        return r.json().get("data");
    }
}
