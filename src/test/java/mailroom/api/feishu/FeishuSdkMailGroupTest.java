package mailroom.api.feishu;

import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.core.cache.ICache;
import com.lark.oapi.core.response.BaseResponse;
import com.lark.oapi.service.mail.v1.model.*;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mailroom.server.MailroomServer;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Lark Java SDK (oapi-sdk 2.5.3) drives a real Mailroom through every mail group and alias endpoint:
 * mail groups #1–#6, members #7–#12, managers #13–#15, aliases #16–#18, permission members #19–#24 and
 * user mailbox aliases #42–#44. Each client has its own token cache, so servers never share tokens.
 */
class FeishuSdkMailGroupTest {
    private static MailroomServer server;
    private static Client full;

    /** The SDK's token cache, kept per client instead of the process-wide default. */
    static final class MapCache implements ICache {
        private record Entry(String value, long expiresAtMillis) {}

        private final Map<String, Entry> entries = new ConcurrentHashMap<>();

        @Override
        public String get(String key) {
            Entry e = entries.get(key);
            return e == null || e.expiresAtMillis() < System.currentTimeMillis() ? "" : e.value();
        }

        @Override
        public void set(String key, String value, int expire, TimeUnit unit) {
            entries.put(key, new Entry(value, System.currentTimeMillis() + unit.toMillis(expire)));
        }
    }

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
        full = client("cli_full", "secret-full");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Client client(String appId, String secret) {
        return Client.newBuilder(appId, secret).openBaseUrl("http://127.0.0.1:" + server.port())
                .tokenCache(new MapCache()).requestTimeout(10, TimeUnit.SECONDS).build();
    }

    private static <T extends BaseResponse<?>> T ok(T resp) {
        assertThat(resp.getCode()).as("code of %s, msg %s", resp.getClass().getSimpleName(), resp.getMsg()).isZero();
        assertThat(resp.getMsg()).isEqualTo("success");
        return resp;
    }

    private static CreateMailgroupRespBody createGroup(String email) throws Exception {
        return ok(full.mail().v1().mailgroup().create(CreateMailgroupReq.newBuilder()
                .mailgroup(Mailgroup.newBuilder().email(email).build()).build())).getData();
    }

    @Test
    void sdkCreatesGetsListsPatchesUpdatesAndDeletesAMailGroup() throws Exception {
        var groups = full.mail().v1().mailgroup();
        CreateMailgroupResp created = ok(groups.create(CreateMailgroupReq.newBuilder().mailgroup(Mailgroup.newBuilder()
                .email("SDK.Group@acme.test").name("SDK group").description("made by the SDK").whoCanSendMail("ALL_INTERNAL_USERS")
                .build()).build()));
        String id = created.getData().getMailgroupId();
        assertThat(id).isNotBlank();
        assertThat(created.getData().getEmail()).isEqualTo("sdk.group@acme.test");
        assertThat(created.getData().getDirectMembersCount()).isEqualTo("0");
        assertThat(created.getData().getIncludeExternalMember()).isFalse();
        assertThat(created.getData().getIncludeAllCompanyMember()).isFalse();
        assertThat(created.getRequestId()).matches("\\d{14}[0-9A-F]{20}");

        for (String ref : List.of(id, "sdk.group@acme.test", "SDK.GROUP@ACME.TEST")) {
            GetMailgroupResp got = ok(groups.get(GetMailgroupReq.newBuilder().mailgroupId(ref).build()));
            assertThat(got.getData().getMailgroupId()).isEqualTo(id);
            assertThat(got.getData().getWhoCanSendMail()).isEqualTo("ALL_INTERNAL_USERS");
        }

        // The SDK resends the whole model on PATCH/PUT, read-only fields included: they are ignored.
        PatchMailgroupResp patched = ok(groups.patch(PatchMailgroupReq.newBuilder().mailgroupId(id).mailgroup(Mailgroup.newBuilder()
                .mailgroupId("forged").directMembersCount("42").includeExternalMember(true).name("patched").build()).build()));
        assertThat(patched.getData().getName()).isEqualTo("patched");
        assertThat(patched.getData().getDescription()).isEqualTo("made by the SDK");
        assertThat(patched.getData().getMailgroupId()).isEqualTo(id);
        assertThat(patched.getData().getDirectMembersCount()).isEqualTo("0");

        UpdateMailgroupResp updated = ok(groups.update(UpdateMailgroupReq.newBuilder().mailgroupId("sdk.group@acme.test")
                .mailgroup(Mailgroup.newBuilder().email("sdk.group2@acme-mail.test").name("updated").build()).build()));
        assertThat(updated.getData().getEmail()).isEqualTo("sdk.group2@acme-mail.test");
        assertThat(updated.getData().getDescription()).isEmpty();
        assertThat(updated.getData().getWhoCanSendMail()).isEqualTo("ANYONE");

        ListMailgroupResp list = ok(groups.list(ListMailgroupReq.newBuilder().pageSize(200).build()));
        assertThat(Arrays.stream(list.getData().getItems()).map(Mailgroup::getMailgroupId)).contains(id);
        assertThat(list.getData().getHasMore()).isFalse();
        assertThat(list.getData().getPageToken()).isNull();

        ok(groups.delete(DeleteMailgroupReq.newBuilder().mailgroupId(id).build()));
        GetMailgroupResp gone = groups.get(GetMailgroupReq.newBuilder().mailgroupId(id).build());
        assertThat(gone.getCode()).isEqualTo(1234013);
        assertThat(gone.getMsg()).isEqualTo("mail group not found");
        assertThat(gone.getError().getLogId()).isEqualTo(gone.getRequestId());
        assertThat(groups.delete(DeleteMailgroupReq.newBuilder().mailgroupId(id).build()).getCode()).isEqualTo(1234013);
    }

    @Test
    void sdkSeesEachDocumentedCreateError() throws Exception {
        createGroup("sdk.taken@acme.test");
        var groups = full.mail().v1().mailgroup();
        record Case(String email, String who, int code) {}
        for (Case c : List.of(new Case("SDK.TAKEN@acme.test", null, 1234006), new Case("alice@acme.test", null, 1234033),
                new Case("x@globex.test", null, 1234019), new Case(null, null, 1234008), new Case("x@acme.test", "NOBODY", 1234008))) {
            CreateMailgroupResp resp = groups.create(CreateMailgroupReq.newBuilder()
                    .mailgroup(Mailgroup.newBuilder().email(c.email()).whoCanSendMail(c.who()).build()).build());
            assertThat(resp.getCode()).as("%s", c).isEqualTo(c.code());
            assertThat(resp.getError().getMessage()).as("%s", c).isNotBlank();
            assertThat(resp.getData()).isNull();
        }
    }

    @Test
    void sdkListsMailGroupsPageByPageUntilThePageTokenIsGone() throws Exception {
        Client globex = client("cli_globex", "secret-globex");
        var groups = globex.mail().v1().mailgroup();
        for (int i = 0; i < 5; i++) {
            ok(groups.create(CreateMailgroupReq.newBuilder().mailgroup(Mailgroup.newBuilder().email("page" + i + "@globex.test").build()).build()));
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListMailgroupResp page = ok(groups.list(ListMailgroupReq.newBuilder().pageSize(2).pageToken(token).build()));
            Arrays.stream(page.getData().getItems()).forEach(g -> seen.add(g.getEmail()));
            token = page.getData().getPageToken();
            assertThat(page.getData().getHasMore()).isEqualTo(token != null);
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("page0@globex.test", "page1@globex.test", "page2@globex.test", "page3@globex.test",
                "page4@globex.test");
        ListMailgroupResp bad = groups.list(ListMailgroupReq.newBuilder().pageSize(201).build());
        assertThat(bad.getCode()).isEqualTo(99992402);
    }

    @Test
    void sdkManagesMembersWithEveryIdKindAndBatchDeletesWithADeleteBody() throws Exception {
        String gid = createGroup("sdk.members@acme.test").getMailgroupId();
        createGroup("sdk.inner@acme.test");
        var members = full.mail().v1().mailgroupMember();

        CreateMailgroupMemberResp alice = ok(members.create(CreateMailgroupMemberReq.newBuilder().mailgroupId(gid).userIdType("user_id")
                .mailgroupMember(MailgroupMember.newBuilder().type("USER").userId("u100").memberId("forged").build()).build()));
        assertThat(alice.getData().getUserId()).isEqualTo("u100");
        String aliceId = alice.getData().getMemberId();
        // Re-adding answers the same member (idempotent).
        CreateMailgroupMemberResp again = ok(members.create(CreateMailgroupMemberReq.newBuilder().mailgroupId("sdk.members@acme.test")
                .mailgroupMember(MailgroupMember.newBuilder().type("USER").userId("ou_100").build()).build()));
        assertThat(again.getData().getMemberId()).isEqualTo(aliceId);

        BatchCreateMailgroupMemberResp batch = ok(members.batchCreate(BatchCreateMailgroupMemberReq.newBuilder().mailgroupId(gid)
                .userIdType("union_id").departmentIdType("department_id")
                .batchCreateMailgroupMemberReqBody(BatchCreateMailgroupMemberReqBody.newBuilder().items(new MailgroupMember[]{
                        MailgroupMember.newBuilder().type("USER").userId("on_200").build(),
                        MailgroupMember.newBuilder().type("DEPARTMENT").departmentId("D200").build(),
                        MailgroupMember.newBuilder().type("COMPANY").build(),
                        MailgroupMember.newBuilder().type("EXTERNAL_USER").email("partner@example.com").build(),
                        MailgroupMember.newBuilder().type("OTHER_MEMBER").email("printer@acme.test").build(),
                        MailgroupMember.newBuilder().type("MAIL_GROUP").email("sdk.inner@acme.test").build()}).build()).build()));
        MailgroupMember[] items = batch.getData().getItems();
        assertThat(items).extracting(MailgroupMember::getType)
                .containsExactly("USER", "DEPARTMENT", "COMPANY", "EXTERNAL_USER", "OTHER_MEMBER", "MAIL_GROUP");
        assertThat(items[0].getUserId()).isEqualTo("on_200");
        assertThat(items[1].getDepartmentId()).isEqualTo("D200");

        GetMailgroupMemberResp dept = ok(members.get(GetMailgroupMemberReq.newBuilder().mailgroupId(gid).memberId(items[1].getMemberId()).build()));
        assertThat(dept.getData().getDepartmentId()).isEqualTo("od-200");
        GetMailgroupMemberResp bob = ok(members.get(GetMailgroupMemberReq.newBuilder().mailgroupId(gid).memberId(items[0].getMemberId())
                .userIdType("user_id").build()));
        assertThat(bob.getData().getUserId()).isEqualTo("u200");

        GetMailgroupRespBody group = ok(full.mail().v1().mailgroup().get(GetMailgroupReq.newBuilder().mailgroupId(gid).build())).getData();
        assertThat(group.getDirectMembersCount()).isEqualTo("7");
        assertThat(group.getIncludeExternalMember()).isTrue();
        assertThat(group.getIncludeAllCompanyMember()).isTrue();

        ListMailgroupMemberResp page1 = ok(members.list(ListMailgroupMemberReq.newBuilder().mailgroupId(gid).pageSize(4).build()));
        assertThat(page1.getData().getItems()).hasSize(4);
        assertThat(page1.getData().getHasMore()).isTrue();
        ListMailgroupMemberResp page2 = ok(members.list(ListMailgroupMemberReq.newBuilder().mailgroupId(gid).pageSize(4)
                .pageToken(page1.getData().getPageToken()).build()));
        assertThat(page2.getData().getItems()).hasSize(3);
        assertThat(page2.getData().getPageToken()).isNull();

        // A cycle is refused: sdk.inner is in sdk.members, so sdk.members may not join sdk.inner.
        CreateMailgroupMemberResp cycle = members.create(CreateMailgroupMemberReq.newBuilder().mailgroupId("sdk.inner@acme.test")
                .mailgroupMember(MailgroupMember.newBuilder().type("MAIL_GROUP").email("sdk.members@acme.test").build()).build());
        assertThat(cycle.getCode()).isEqualTo(1234008);

        ok(members.delete(DeleteMailgroupMemberReq.newBuilder().mailgroupId(gid).memberId(aliceId).build()));
        assertThat(members.get(GetMailgroupMemberReq.newBuilder().mailgroupId(gid).memberId(aliceId).build()).getCode()).isEqualTo(1234014);
        assertThat(members.delete(DeleteMailgroupMemberReq.newBuilder().mailgroupId(gid).memberId(aliceId).build()).getCode()).isEqualTo(1234014);

        BatchDeleteMailgroupMemberResp refused = members.batchDelete(BatchDeleteMailgroupMemberReq.newBuilder().mailgroupId(gid)
                .batchDeleteMailgroupMemberReqBody(BatchDeleteMailgroupMemberReqBody.newBuilder()
                        .memberIdList(new String[]{items[0].getMemberId(), aliceId}).build()).build());
        assertThat(refused.getCode()).isEqualTo(1234014);
        ok(members.batchDelete(BatchDeleteMailgroupMemberReq.newBuilder().mailgroupId(gid)
                .batchDeleteMailgroupMemberReqBody(BatchDeleteMailgroupMemberReqBody.newBuilder()
                        .memberIdList(Arrays.stream(items).map(MailgroupMember::getMemberId).toArray(String[]::new)).build()).build()));
        ListMailgroupMemberResp empty = ok(members.list(ListMailgroupMemberReq.newBuilder().mailgroupId(gid).build()));
        assertThat(empty.getData().getItems()).isEmpty();
        assertThat(empty.getData().getHasMore()).isFalse();

        assertThat(members.list(ListMailgroupMemberReq.newBuilder().mailgroupId("nosuch@acme.test").build()).getCode()).isEqualTo(1234013);
    }

    @Test
    void sdkManagesManagersAndSeesHttp200ForAnUnknownGroup() throws Exception {
        String gid = createGroup("sdk.managers@acme.test").getMailgroupId();
        var managers = full.mail().v1().mailgroupManager();
        ok(managers.batchCreate(BatchCreateMailgroupManagerReq.newBuilder().mailgroupId(gid).userIdType("user_id")
                .batchCreateMailgroupManagerReqBody(BatchCreateMailgroupManagerReqBody.newBuilder().mailgroupManagerList(new MailgroupManager[]{
                        MailgroupManager.newBuilder().userId("u100").build(), MailgroupManager.newBuilder().userId("u300").build()}).build()).build()));
        ListMailgroupManagerResp list = ok(managers.list(ListMailgroupManagerReq.newBuilder().mailgroupId("sdk.managers@acme.test").build()));
        assertThat(list.getData().getItems()).extracting(MailgroupManager::getUserId).containsExactly("ou_100", "ou_300");
        assertThat(list.getData().getHasMore()).isFalse();

        ListMailgroupResp managed = ok(full.mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().managerUserId("on_300")
                .userIdType("union_id").build()));
        assertThat(managed.getData().getItems()).extracting(Mailgroup::getMailgroupId).containsExactly(gid);

        ok(managers.batchDelete(BatchDeleteMailgroupManagerReq.newBuilder().mailgroupId(gid)
                .batchDeleteMailgroupManagerReqBody(BatchDeleteMailgroupManagerReqBody.newBuilder().mailgroupManagerList(new MailgroupManager[]{
                        MailgroupManager.newBuilder().userId("ou_100").build()}).build()).build()));
        ListMailgroupManagerResp after = ok(managers.list(ListMailgroupManagerReq.newBuilder().mailgroupId(gid).userIdType("union_id").build()));
        assertThat(after.getData().getItems()).extracting(MailgroupManager::getUserId).containsExactly("on_300");

        BatchCreateMailgroupManagerResp unknownUser = managers.batchCreate(BatchCreateMailgroupManagerReq.newBuilder().mailgroupId(gid)
                .batchCreateMailgroupManagerReqBody(BatchCreateMailgroupManagerReqBody.newBuilder().mailgroupManagerList(new MailgroupManager[]{
                        MailgroupManager.newBuilder().userId("ou_999").build()}).build()).build());
        assertThat(unknownUser.getCode()).isEqualTo(1234008);
        assertThat(unknownUser.getRawResponse().getStatusCode()).isEqualTo(400);

        ListMailgroupManagerResp noGroup = managers.list(ListMailgroupManagerReq.newBuilder().mailgroupId("nosuch@acme.test").build());
        assertThat(noGroup.getCode()).isEqualTo(1234013);
        assertThat(noGroup.getRawResponse().getStatusCode()).isEqualTo(200);
        BatchDeleteMailgroupManagerResp noGroupDelete = managers.batchDelete(BatchDeleteMailgroupManagerReq.newBuilder().mailgroupId("nosuch")
                .batchDeleteMailgroupManagerReqBody(BatchDeleteMailgroupManagerReqBody.newBuilder().mailgroupManagerList(new MailgroupManager[]{
                        MailgroupManager.newBuilder().userId("ou_300").build()}).build()).build());
        assertThat(noGroupDelete.getCode()).isEqualTo(1234013);
        assertThat(noGroupDelete.getRawResponse().getStatusCode()).isEqualTo(200);
    }

    @Test
    void sdkManagesMailGroupAliases() throws Exception {
        String gid = createGroup("sdk.aliases@acme.test").getMailgroupId();
        var aliases = full.mail().v1().mailgroupAlias();
        CreateMailgroupAliasResp created = ok(aliases.create(CreateMailgroupAliasReq.newBuilder().mailgroupId(gid)
                .emailAlias(EmailAlias.newBuilder().emailAlias("SDK.Alias@acme.test").primaryEmail("ignored@acme.test").build()).build()));
        assertThat(created.getData().getMailgroupAlias().getPrimaryEmail()).isEqualTo("sdk.aliases@acme.test");
        assertThat(created.getData().getMailgroupAlias().getEmailAlias()).isEqualTo("sdk.alias@acme.test");

        ListMailgroupAliasResp list = ok(aliases.list(ListMailgroupAliasReq.newBuilder().mailgroupId("sdk.aliases@acme.test").build()));
        assertThat(list.getData().getItems()).extracting(EmailAlias::getEmailAlias).containsExactly("sdk.alias@acme.test");

        CreateMailgroupAliasResp taken = aliases.create(CreateMailgroupAliasReq.newBuilder().mailgroupId(gid)
                .emailAlias(EmailAlias.newBuilder().emailAlias("sdk.alias@acme.test").build()).build());
        assertThat(taken.getCode()).isEqualTo(1235002);
        CreateMailgroupAliasResp foreign = aliases.create(CreateMailgroupAliasReq.newBuilder().mailgroupId(gid)
                .emailAlias(EmailAlias.newBuilder().emailAlias("sdk@globex.test").build()).build());
        assertThat(foreign.getCode()).isEqualTo(1234019);
        assertThat(foreign.getRawResponse().getStatusCode()).isEqualTo(404);

        ok(aliases.delete(DeleteMailgroupAliasReq.newBuilder().mailgroupId(gid).aliasId("sdk.alias@acme.test").build()));
        assertThat(aliases.delete(DeleteMailgroupAliasReq.newBuilder().mailgroupId(gid).aliasId("sdk.alias@acme.test").build()).getCode())
                .isEqualTo(1234012);
        assertThat(ok(aliases.list(ListMailgroupAliasReq.newBuilder().mailgroupId(gid).build())).getData().getItems()).isEmpty();
    }

    @Test
    void sdkManagesPermissionMembers() throws Exception {
        String gid = createGroup("sdk.perms@acme.test").getMailgroupId();
        createGroup("sdk.senders@acme.test");
        var perms = full.mail().v1().mailgroupPermissionMember();
        CreateMailgroupPermissionMemberResp user = ok(perms.create(CreateMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid)
                .userIdType("union_id").mailgroupPermissionMember(MailgroupPermissionMember.newBuilder().type("USER").userId("on_100").build()).build()));
        String userId = user.getData().getPermissionMemberId();
        assertThat(user.getData().getUserId()).isEqualTo("on_100");

        BatchCreateMailgroupPermissionMemberResp batch = ok(perms.batchCreate(BatchCreateMailgroupPermissionMemberReq.newBuilder()
                .mailgroupId("sdk.perms@acme.test").departmentIdType("department_id")
                .batchCreateMailgroupPermissionMemberReqBody(BatchCreateMailgroupPermissionMemberReqBody.newBuilder()
                        .items(new MailgroupPermissionMember[]{
                                MailgroupPermissionMember.newBuilder().type("DEPARTMENT").departmentId("D100").build(),
                                MailgroupPermissionMember.newBuilder().type("MAIL_GROUP").email("sdk.senders@acme.test").build()}).build()).build()));
        MailgroupPermissionMember[] items = batch.getData().getItems();
        assertThat(items[0].getDepartmentId()).isEqualTo("D100");
        assertThat(items[1].getEmail()).isEqualTo("sdk.senders@acme.test");

        GetMailgroupPermissionMemberResp got = ok(perms.get(GetMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid)
                .permissionMemberId(items[0].getPermissionMemberId()).build()));
        assertThat(got.getData().getDepartmentId()).isEqualTo("od-100");
        GetMailgroupPermissionMemberResp gotUser = ok(perms.get(GetMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid)
                .permissionMemberId(userId).userIdType("user_id").build()));
        assertThat(gotUser.getData().getUserId()).isEqualTo("u100");

        ListMailgroupPermissionMemberResp list = ok(perms.list(ListMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid).pageSize(2).build()));
        assertThat(list.getData().getItems()).hasSize(2);
        assertThat(list.getData().getHasMore()).isTrue();
        ListMailgroupPermissionMemberResp rest = ok(perms.list(ListMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid).pageSize(2)
                .pageToken(list.getData().getPageToken()).build()));
        assertThat(rest.getData().getItems()).hasSize(1);
        assertThat(rest.getData().getHasMore()).isFalse();

        CreateMailgroupPermissionMemberResp company = perms.create(CreateMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid)
                .mailgroupPermissionMember(MailgroupPermissionMember.newBuilder().type("COMPANY").build()).build());
        assertThat(company.getCode()).isEqualTo(1234008);

        ok(perms.delete(DeleteMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid).permissionMemberId(userId).build()));
        assertThat(perms.get(GetMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid).permissionMemberId(userId).build()).getCode())
                .isEqualTo(1234015);
        ok(perms.batchDelete(BatchDeleteMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid)
                .batchDeleteMailgroupPermissionMemberReqBody(BatchDeleteMailgroupPermissionMemberReqBody.newBuilder()
                        .permissionMemberIdList(Arrays.stream(items).map(MailgroupPermissionMember::getPermissionMemberId).toArray(String[]::new))
                        .build()).build()));
        assertThat(ok(perms.list(ListMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid).build())).getData().getItems()).isEmpty();
        BatchDeleteMailgroupPermissionMemberResp again = perms.batchDelete(BatchDeleteMailgroupPermissionMemberReq.newBuilder().mailgroupId(gid)
                .batchDeleteMailgroupPermissionMemberReqBody(BatchDeleteMailgroupPermissionMemberReqBody.newBuilder()
                        .permissionMemberIdList(new String[]{userId}).build()).build());
        assertThat(again.getCode()).isEqualTo(1234015);
    }

    @Test
    void sdkManagesUserMailboxAliases() throws Exception {
        var aliases = full.mail().v1().userMailboxAlias();
        CreateUserMailboxAliasResp created = ok(aliases.create(CreateUserMailboxAliasReq.newBuilder().userMailboxId("carol@acme.test")
                .emailAlias(EmailAlias.newBuilder().emailAlias("Carol.Wu@acme-mail.test").build()).build()));
        assertThat(created.getData().getUserMailboxAlias().getPrimaryEmail()).isEqualTo("carol@acme.test");
        assertThat(created.getData().getUserMailboxAlias().getEmailAlias()).isEqualTo("carol.wu@acme-mail.test");

        ListUserMailboxAliasResp list = ok(aliases.list(ListUserMailboxAliasReq.newBuilder().userMailboxId("CAROL@acme.test").pageSize(20).build()));
        assertThat(list.getData().getItems()).extracting(EmailAlias::getEmailAlias).containsExactly("carol.wu@acme-mail.test");

        CreateUserMailboxAliasResp login = aliases.create(CreateUserMailboxAliasReq.newBuilder().userMailboxId("carol@acme.test")
                .emailAlias(EmailAlias.newBuilder().emailAlias("bob@acme.test").build()).build());
        assertThat(login.getCode()).isEqualTo(1234033);
        CreateUserMailboxAliasResp nobody = aliases.create(CreateUserMailboxAliasReq.newBuilder().userMailboxId("nobody@acme.test")
                .emailAlias(EmailAlias.newBuilder().emailAlias("nobody2@acme.test").build()).build());
        assertThat(nobody.getCode()).isEqualTo(1235013);

        ok(aliases.delete(DeleteUserMailboxAliasReq.newBuilder().userMailboxId("carol@acme.test").aliasId("carol.wu@acme-mail.test").build()));
        assertThat(aliases.delete(DeleteUserMailboxAliasReq.newBuilder().userMailboxId("carol@acme.test").aliasId("carol.wu@acme-mail.test")
                .build()).getCode()).isEqualTo(1234012);
        assertThat(ok(aliases.list(ListUserMailboxAliasReq.newBuilder().userMailboxId("carol@acme.test").build())).getData().getItems()).isEmpty();
    }

    @Test
    void sdkSeesGatewayErrorsForMissingScopes() throws Exception {
        Client readonly = client("cli_readonly", "secret-readonly");
        CreateMailgroupResp write = readonly.mail().v1().mailgroup().create(CreateMailgroupReq.newBuilder()
                .mailgroup(Mailgroup.newBuilder().email("ro@acme.test").build()).build());
        assertThat(write.getCode()).isEqualTo(99991672);
        assertThat(write.getError().getPermissionViolations()).extracting(v -> v.getSubject()).containsExactly("mail:mailgroup");
        assertThat(readonly.mail().v1().mailgroup().list(ListMailgroupReq.newBuilder().build()).getCode()).isZero();

        Client none = client("cli_noscope", "secret-noscope");
        assertThat(none.mail().v1().userMailboxAlias().list(ListUserMailboxAliasReq.newBuilder().userMailboxId("alice@acme.test").build())
                .getCode()).isEqualTo(99991672);
        assertThat(server.directory().mailGroups().list(as("acme"), null, new mailroom.directory.PageRequest(null, 200)).items())
                .extracting(mailroom.directory.mailgroup.MailGroup::email).doesNotContain("ro@acme.test");
    }
}
