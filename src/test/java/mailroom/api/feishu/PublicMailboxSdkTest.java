package mailroom.api.feishu;

import static mailroom.testing.LarkSdk.ok;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.service.mail.v1.model.*;
import java.util.Arrays;
import mailroom.server.MailroomServer;
import mailroom.testing.LarkSdk;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Lark Java SDK drives every public mailbox, recycle-bin and users/query endpoint (#25–#41, #45, #46) against a running server. */
class PublicMailboxSdkTest {
    private static MailroomServer server;
    private static Client sdk;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Backend.SQLITE);
        sdk = LarkSdk.client(server.port(), "cli_full");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CreatePublicMailboxRespBody create(String email, String name) throws Exception {
        return ok(sdk.mail().v1().publicMailbox().create(CreatePublicMailboxReq.newBuilder()
                .publicMailbox(PublicMailbox.newBuilder().email(email).name(name).build()).build())).getData();
    }

    private static User[] query(String... emails) throws Exception {
        return ok(sdk.mail().v1().user().query(QueryUserReq.newBuilder()
                .queryUserReqBody(QueryUserReqBody.newBuilder().emailList(emails).build()).build())).getData().getUserList();
    }

    @Test
    void sdkCreatesGetsListsPatchesAndUpdatesAPublicMailbox() throws Exception {
        CreatePublicMailboxResp created = ok(sdk.mail().v1().publicMailbox().create(CreatePublicMailboxReq.newBuilder()
                .publicMailbox(PublicMailbox.newBuilder().email("Support@acme.test").name("Support").geo("sg").build())
                .build()));
        String id = created.getData().getPublicMailboxId();
        assertThat(id).isNotBlank();
        assertThat(created.getData().getEmail()).isEqualTo("support@acme.test");
        assertThat(created.getData().getGeo()).isEqualTo("sg");

        GetPublicMailboxRespBody got = ok(sdk.mail().v1().publicMailbox().get(GetPublicMailboxReq.newBuilder()
                .publicMailboxId("support@acme.test").build())).getData();
        assertThat(got.getPublicMailboxId()).isEqualTo(id);
        assertThat(got.getName()).isEqualTo("Support");
        assertThat(got.getGeo()).isEqualTo("sg");

        ListPublicMailboxRespBody list = ok(sdk.mail().v1().publicMailbox().list(ListPublicMailboxReq.newBuilder()
                .pageSize(200).build())).getData();
        assertThat(Arrays.stream(list.getItems()).map(PublicMailbox::getPublicMailboxId)).contains(id);
        assertThat(list.getHasMore()).isFalse();
        assertThat(list.getPageToken()).isNull();

        PatchPublicMailboxRespBody patched = ok(sdk.mail().v1().publicMailbox().patch(PatchPublicMailboxReq.newBuilder()
                .publicMailboxId(id).publicMailbox(PublicMailbox.newBuilder().name("Support desk").build()).build())).getData();
        assertThat(patched.getEmail()).isEqualTo("support@acme.test");
        assertThat(patched.getName()).isEqualTo("Support desk");
        assertThat(patched.getGeo()).isNull();

        UpdatePublicMailboxRespBody updated = ok(sdk.mail().v1().publicMailbox().update(UpdatePublicMailboxReq.newBuilder()
                .publicMailboxId(id).publicMailbox(PublicMailbox.newBuilder().email("helpdesk@acme.test").name("Helpdesk")
                        .build()).build())).getData();
        assertThat(updated.getPublicMailboxId()).isEqualTo(id);
        assertThat(updated.getEmail()).isEqualTo("helpdesk@acme.test");
        assertThat(updated.getName()).isEqualTo("Helpdesk");
        assertThat(updated.getGeo()).isNull();

        EmailAlias[] aliases = ok(sdk.mail().v1().publicMailboxAlias().list(ListPublicMailboxAliasReq.newBuilder()
                .publicMailboxId(id).build())).getData().getItems();
        assertThat(aliases).extracting(EmailAlias::getPrimaryEmail, EmailAlias::getEmailAlias)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("helpdesk@acme.test", "support@acme.test"));
    }

    @Test
    void sdkAddsListsGetsAndRemovesPublicMailboxMembers() throws Exception {
        String id = create("members-box@acme.test", "Members").getPublicMailboxId();
        CreatePublicMailboxMemberRespBody created = ok(sdk.mail().v1().publicMailboxMember().create(
                CreatePublicMailboxMemberReq.newBuilder().publicMailboxId(id).userIdType("user_id")
                        .publicMailboxMember(PublicMailboxMember.newBuilder().userId("u100").type("USER").build())
                        .build())).getData();
        assertThat(created.getMemberId()).isNotBlank();
        assertThat(created.getUserId()).isEqualTo("u100");
        assertThat(created.getType()).isEqualTo("USER");

        BatchCreatePublicMailboxMemberRespBody batch = ok(sdk.mail().v1().publicMailboxMember().batchCreate(
                BatchCreatePublicMailboxMemberReq.newBuilder().publicMailboxId(id).batchCreatePublicMailboxMemberReqBody(
                        BatchCreatePublicMailboxMemberReqBody.newBuilder().items(new PublicMailboxMember[]{
                                PublicMailboxMember.newBuilder().userId("ou_200").type("USER").build(),
                                PublicMailboxMember.newBuilder().userId("ou_300").type("USER").build()}).build())
                        .build())).getData();
        assertThat(batch.getItems()).extracting(PublicMailboxMember::getUserId, PublicMailboxMember::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ou_200", "USER"),
                        org.assertj.core.groups.Tuple.tuple("ou_300", "USER"));

        ListPublicMailboxMemberRespBody page1 = ok(sdk.mail().v1().publicMailboxMember().list(
                ListPublicMailboxMemberReq.newBuilder().publicMailboxId(id).userIdType("union_id").pageSize(2).build())).getData();
        assertThat(page1.getItems()).extracting(PublicMailboxMember::getUserId).containsExactly("on_100", "on_200");
        assertThat(page1.getHasMore()).isTrue();
        ListPublicMailboxMemberRespBody page2 = ok(sdk.mail().v1().publicMailboxMember().list(
                ListPublicMailboxMemberReq.newBuilder().publicMailboxId(id).userIdType("union_id").pageSize(2)
                        .pageToken(page1.getPageToken()).build())).getData();
        assertThat(page2.getItems()).extracting(PublicMailboxMember::getUserId).containsExactly("on_300");
        assertThat(page2.getHasMore()).isFalse();

        String aliceMember = page1.getItems()[0].getMemberId();
        GetPublicMailboxMemberRespBody got = ok(sdk.mail().v1().publicMailboxMember().get(GetPublicMailboxMemberReq
                .newBuilder().publicMailboxId(id).memberId(aliceMember).userIdType("user_id").build())).getData();
        assertThat(got.getMemberId()).isEqualTo(aliceMember);
        assertThat(got.getUserId()).isEqualTo("u100");
        assertThat(got.getType()).isEqualTo("USER");

        ok(sdk.mail().v1().publicMailboxMember().delete(DeletePublicMailboxMemberReq.newBuilder().publicMailboxId(id)
                .memberId(aliceMember).build()));
        GetPublicMailboxMemberResp gone = sdk.mail().v1().publicMailboxMember().get(GetPublicMailboxMemberReq.newBuilder()
                .publicMailboxId(id).memberId(aliceMember).build());
        assertThat(gone.getCode()).isEqualTo(1234040);
        assertThat(gone.getMsg()).isEqualTo("public mailbox member not found");

        ok(sdk.mail().v1().publicMailboxMember().batchDelete(BatchDeletePublicMailboxMemberReq.newBuilder()
                .publicMailboxId(id).batchDeletePublicMailboxMemberReqBody(BatchDeletePublicMailboxMemberReqBody.newBuilder()
                        .memberIdList(new String[]{batch.getItems()[0].getMemberId()}).build()).build()));
        assertThat(ok(sdk.mail().v1().publicMailboxMember().list(ListPublicMailboxMemberReq.newBuilder()
                .publicMailboxId(id).build())).getData().getItems()).extracting(PublicMailboxMember::getUserId)
                .containsExactly("ou_300");
    }

    @Test
    void sdkClearSendsABodilessPostThatTheServerAccepts() throws Exception {
        String id = create("clear-box@acme.test", "Clear").getPublicMailboxId();
        ok(sdk.mail().v1().publicMailboxMember().create(CreatePublicMailboxMemberReq.newBuilder().publicMailboxId(id)
                .publicMailboxMember(PublicMailboxMember.newBuilder().userId("ou_100").type("USER").build()).build()));
        ok(sdk.mail().v1().publicMailboxMember().clear(ClearPublicMailboxMemberReq.newBuilder().publicMailboxId(id).build()));
        assertThat(ok(sdk.mail().v1().publicMailboxMember().list(ListPublicMailboxMemberReq.newBuilder()
                .publicMailboxId(id).build())).getData().getItems()).isEmpty();
    }

    @Test
    void sdkCreatesListsAndDeletesPublicMailboxAliases() throws Exception {
        String id = create("alias-box@acme.test", "Aliases").getPublicMailboxId();
        EmailAlias alias = ok(sdk.mail().v1().publicMailboxAlias().create(CreatePublicMailboxAliasReq.newBuilder()
                .publicMailboxId(id).emailAlias(EmailAlias.newBuilder().emailAlias("alias-one@acme-mail.test").build())
                .build())).getData().getPublicMailboxAlias();
        assertThat(alias.getPrimaryEmail()).isEqualTo("alias-box@acme.test");
        assertThat(alias.getEmailAlias()).isEqualTo("alias-one@acme-mail.test");
        assertThat(ok(sdk.mail().v1().publicMailboxAlias().list(ListPublicMailboxAliasReq.newBuilder()
                .publicMailboxId("alias-box@acme.test").build())).getData().getItems())
                .extracting(EmailAlias::getEmailAlias).containsExactly("alias-one@acme-mail.test");
        ok(sdk.mail().v1().publicMailboxAlias().delete(DeletePublicMailboxAliasReq.newBuilder().publicMailboxId(id)
                .aliasId("alias-one@acme-mail.test").build()));
        assertThat(ok(sdk.mail().v1().publicMailboxAlias().list(ListPublicMailboxAliasReq.newBuilder()
                .publicMailboxId(id).build())).getData().getItems()).isEmpty();
        DeletePublicMailboxAliasResp again = sdk.mail().v1().publicMailboxAlias().delete(DeletePublicMailboxAliasReq
                .newBuilder().publicMailboxId(id).aliasId("alias-one@acme-mail.test").build());
        assertThat(again.getCode()).isEqualTo(1234012);
    }

    @Test
    void sdkMovesAPublicMailboxToTheRecycleBinAndReleasesIt() throws Exception {
        String id = create("recycled-box@acme.test", "Recycled").getPublicMailboxId();
        ok(sdk.mail().v1().publicMailbox().removeToRecycleBin(RemoveToRecycleBinPublicMailboxReq.newBuilder()
                .publicMailboxId(id).removeToRecycleBinPublicMailboxReqBody(RemoveToRecycleBinPublicMailboxReqBody
                        .newBuilder().toMailAddress("alice@acme.test").build()).build()));
        GetPublicMailboxResp hidden = sdk.mail().v1().publicMailbox().get(GetPublicMailboxReq.newBuilder()
                .publicMailboxId(id).build());
        assertThat(hidden.getCode()).isEqualTo(1234016);
        assertThat(query("recycled-box@acme.test")).extracting(User::getEmail, User::getStatus, User::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("recycled-box@acme.test", 5, 3));

        DeletePublicMailboxResp released = ok(sdk.mail().v1().publicMailbox().delete(DeletePublicMailboxReq.newBuilder()
                .publicMailboxId("recycled-box@acme.test").build()));
        assertThat(released.getMsg()).isEqualTo("release mail address success");
        assertThat(query("recycled-box@acme.test")).extracting(User::getEmail, User::getStatus, User::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("recycled-box@acme.test", 3, null));

        DeletePublicMailboxResp twice = sdk.mail().v1().publicMailbox().delete(DeletePublicMailboxReq.newBuilder()
                .publicMailboxId("recycled-box@acme.test").build());
        assertThat(twice.getCode()).isEqualTo(1230001);
        assertThat(twice.getMsg()).isEqualTo("param is invalis");
    }

    @Test
    void sdkReleasesAUserMailboxThatTheHybridboxSideMovedToTheRecycleBin() throws Exception {
        DeleteUserMailboxResp notRecycled = sdk.mail().v1().userMailbox().delete(DeleteUserMailboxReq.newBuilder()
                .userMailboxId("carol@acme.test").build());
        assertThat(notRecycled.getCode()).isEqualTo(1230001);

        server.directory().mailboxes().moveToRecycleBin(as("acme"), "carol@acme.test");
        assertThat(query("carol@acme.test")).extracting(User::getStatus, User::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5, 1));

        DeleteUserMailboxResp released = ok(sdk.mail().v1().userMailbox().delete(DeleteUserMailboxReq.newBuilder()
                .userMailboxId("carol@acme.test").transferMailbox("alice@acme.test").build()));
        assertThat(released.getMsg()).isEqualTo("release mail address success");
        assertThat(query("carol@acme.test")).extracting(User::getStatus, User::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, null));
        // The address is free again: a public mailbox may take it.
        assertThat(create("carol@acme.test", "Carol's old address").getEmail()).isEqualTo("carol@acme.test");
    }

    @Test
    void sdkQueriesAddressesAndGetsStatusAndTypeOfEach() throws Exception {
        assertThat(query("alice@acme.test", "not-an-address", "x@nowhere.test", "nobody@acme.test"))
                .extracting(User::getEmail, User::getStatus, User::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice@acme.test", 4, 1),
                        org.assertj.core.groups.Tuple.tuple("not-an-address", 1, null),
                        org.assertj.core.groups.Tuple.tuple("x@nowhere.test", 2, null),
                        org.assertj.core.groups.Tuple.tuple("nobody@acme.test", 3, null));
        QueryUserResp refused = sdk.mail().v1().user().query(QueryUserReq.newBuilder()
                .queryUserReqBody(QueryUserReqBody.newBuilder().emailList(new String[0]).build()).build());
        assertThat(refused.getCode()).isEqualTo(1230001);
    }

    @Test
    void sdkSeesDocumentedErrorCodes() throws Exception {
        create("taken-box@acme.test", "Taken");
        CreatePublicMailboxResp taken = sdk.mail().v1().publicMailbox().create(CreatePublicMailboxReq.newBuilder()
                .publicMailbox(PublicMailbox.newBuilder().email("taken-box@acme.test").build()).build());
        assertThat(taken.getCode()).isEqualTo(1234006);
        assertThat(taken.getMsg()).isEqualTo("email address has been used");
        assertThat(taken.getError().getLogId()).isNotBlank();
        CreatePublicMailboxResp badGeo = sdk.mail().v1().publicMailbox().create(CreatePublicMailboxReq.newBuilder()
                .publicMailbox(PublicMailbox.newBuilder().email("geo-box@acme.test").geo("eu").build()).build());
        assertThat(badGeo.getCode()).isEqualTo(1234042);
        Client noGeo = LarkSdk.client(server.port(), "cli_nogeo");
        CreatePublicMailboxResp noScope = noGeo.mail().v1().publicMailbox().create(CreatePublicMailboxReq.newBuilder()
                .publicMailbox(PublicMailbox.newBuilder().email("geo-box@acme.test").geo("cn").build()).build());
        assertThat(noScope.getCode()).isEqualTo(1234040);
        assertThat(noScope.getMsg()).isEqualTo("not set geo name auth");
        CreatePublicMailboxRespBody withoutGeoScope = ok(noGeo.mail().v1().publicMailbox().create(CreatePublicMailboxReq
                .newBuilder().publicMailbox(PublicMailbox.newBuilder().email("geo-box@acme.test").name("G").build())
                .build())).getData();
        assertThat(withoutGeoScope.getGeo()).isNull();
    }
}
