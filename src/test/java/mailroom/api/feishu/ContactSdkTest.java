package mailroom.api.feishu;

import static mailroom.testing.LarkSdk.ok;
import static mailroom.testing.TestCallers.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.service.contact.v3.model.ChildrenDepartmentReq;
import com.lark.oapi.service.contact.v3.model.ChildrenDepartmentRespBody;
import com.lark.oapi.service.contact.v3.model.CreateDepartmentReq;
import com.lark.oapi.service.contact.v3.model.CreateUserReq;
import com.lark.oapi.service.contact.v3.model.CreateUserResp;
import com.lark.oapi.service.contact.v3.model.DeleteDepartmentReq;
import com.lark.oapi.service.contact.v3.model.DeleteUserReq;
import com.lark.oapi.service.contact.v3.model.DeleteUserReqBody;
import com.lark.oapi.service.contact.v3.model.Department;
import com.lark.oapi.service.contact.v3.model.FindByDepartmentUserReq;
import com.lark.oapi.service.contact.v3.model.FindByDepartmentUserRespBody;
import com.lark.oapi.service.contact.v3.model.GetDepartmentReq;
import com.lark.oapi.service.contact.v3.model.GetUserReq;
import com.lark.oapi.service.contact.v3.model.GetUserResp;
import com.lark.oapi.service.contact.v3.model.PatchUserReq;
import com.lark.oapi.service.contact.v3.model.ResourceAcceptor;
import com.lark.oapi.service.mail.v1.model.CreateUserMailboxAliasReq;
import com.lark.oapi.service.mail.v1.model.DeleteUserMailboxReq;
import com.lark.oapi.service.mail.v1.model.EmailAlias;
import com.lark.oapi.service.mail.v1.model.ListUserMailboxAliasReq;
import com.lark.oapi.service.mail.v1.model.QueryUserReq;
import com.lark.oapi.service.mail.v1.model.QueryUserReqBody;
import com.lark.oapi.service.mail.v1.model.User;
import java.util.Arrays;
import mailroom.server.MailroomServer;
import mailroom.testing.LarkSdk;
import mailroom.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Lark Java SDK drives contact v3 against a running server, unchanged: a user created with an enterprise
 * email has a mailbox mail v1 sees and gives an alias to; deleting the user puts it in the recycle bin, and mail v1
 * #45 releases it. Departments are created, read, listed and deleted the same way.
 */
class ContactSdkTest {
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

    private static User[] query(String... emails) throws Exception {
        return ok(sdk.mail().v1().user().query(QueryUserReq.newBuilder()
                .queryUserReqBody(QueryUserReqBody.newBuilder().emailList(emails).build()).build())).getData().getUserList();
    }

    @Test
    void aUserCreatedWithAnEnterpriseEmailHasAMailboxUntilDeletedAndMailV1ReleasesItsAddress() throws Exception {
        CreateUserResp created = ok(sdk.contact().v3().user().create(CreateUserReq.newBuilder()
                .userIdType("open_id").departmentIdType("open_department_id")
                .user(com.lark.oapi.service.contact.v3.model.User.newBuilder().userId("u700").name("Ivy Sdk").enterpriseEmail("ivy@acme.test")
                        .mobile("13011111111").employeeType(1).departmentIds(new String[]{"od-100"}).build())
                .build()));
        String openId = created.getData().getUser().getOpenId();
        assertThat(openId).startsWith("ou_");
        assertThat(created.getData().getUser().getUnionId()).startsWith("on_");
        assertThat(created.getData().getUser().getEnterpriseEmail()).isEqualTo("ivy@acme.test");
        assertThat(created.getData().getUser().getDepartmentIds()).containsExactly("od-100");
        assertThat(created.getData().getUser().getStatus().getIsActivated()).isTrue();

        User[] inService = query("ivy@acme.test");
        assertThat(inService[0].getStatus()).isEqualTo(4);
        assertThat(inService[0].getType()).isEqualTo(1);
        ok(sdk.mail().v1().userMailboxAlias().create(CreateUserMailboxAliasReq.newBuilder().userMailboxId("ivy@acme.test")
                .emailAlias(EmailAlias.newBuilder().emailAlias("ivy.sdk@acme.test").build()).build()));
        assertThat(Arrays.stream(ok(sdk.mail().v1().userMailboxAlias().list(ListUserMailboxAliasReq.newBuilder()
                .userMailboxId("ivy@acme.test").build())).getData().getItems()).map(EmailAlias::getEmailAlias))
                .containsExactly("ivy.sdk@acme.test");

        String userId = created.getData().getUser().getUserId();
        assertThat(userId).isEqualTo("u700");
        GetUserResp got = ok(sdk.contact().v3().user().get(GetUserReq.newBuilder().userId(userId).userIdType("user_id")
                .departmentIdType("department_id").build()));
        assertThat(got.getData().getUser().getOpenId()).isEqualTo(openId);
        assertThat(got.getData().getUser().getDepartmentIds()).containsExactly("D100");

        com.lark.oapi.service.contact.v3.model.User patched = ok(sdk.contact().v3().user().patch(PatchUserReq.newBuilder()
                .userId(openId).user(com.lark.oapi.service.contact.v3.model.User.newBuilder().name("Ivy Patched")
                        .departmentIds(new String[]{"od-200"}).build()).build())).getData().getUser();
        assertThat(patched.getName()).isEqualTo("Ivy Patched");
        assertThat(patched.getEnterpriseEmail()).isEqualTo("ivy@acme.test");

        FindByDepartmentUserRespBody inEngineering = ok(sdk.contact().v3().user().findByDepartment(FindByDepartmentUserReq.newBuilder()
                .departmentId("od-200").pageSize(2).build())).getData();
        assertThat(inEngineering.getHasMore()).isTrue();
        FindByDepartmentUserRespBody rest = ok(sdk.contact().v3().user().findByDepartment(FindByDepartmentUserReq.newBuilder()
                .departmentId("od-200").pageSize(2).pageToken(inEngineering.getPageToken()).build())).getData();
        assertThat(rest.getHasMore()).isFalse();
        assertThat(rest.getPageToken()).isNull();
        assertThat(Arrays.stream(rest.getItems()).map(com.lark.oapi.service.contact.v3.model.User::getOpenId)).contains(openId);

        ok(sdk.contact().v3().user().delete(DeleteUserReq.newBuilder().userId(openId)
                .deleteUserReqBody(DeleteUserReqBody.newBuilder().emailAcceptor(ResourceAcceptor.newBuilder().processingType("2").build())
                        .build()).build()));
        User[] recycled = query("ivy@acme.test", "ivy.sdk@acme.test");
        assertThat(recycled[0].getStatus()).isEqualTo(5);
        assertThat(recycled[1].getStatus()).isEqualTo(5);
        assertThat(sdk.contact().v3().user().get(GetUserReq.newBuilder().userId(openId).build()).getCode()).isEqualTo(41050);

        assertThat(ok(sdk.mail().v1().userMailbox().delete(DeleteUserMailboxReq.newBuilder().userMailboxId("ivy@acme.test").build()))
                .getMsg()).isEqualTo("release mail address success");
        User[] released = query("ivy@acme.test", "ivy.sdk@acme.test");
        assertThat(released[0].getStatus()).isEqualTo(3);
        assertThat(released[1].getStatus()).isEqualTo(3);
    }

    @Test
    void aUserWhoseMailboxIsInTheRecycleBinGetsNoNewAddressUntilItIsReleased() throws Exception {
        server.directory().mailboxes().moveToRecycleBin(as("acme"), "carol@acme.test");
        var refused = sdk.contact().v3().user().patch(PatchUserReq.newBuilder().userId("ou_300")
                .user(com.lark.oapi.service.contact.v3.model.User.newBuilder().enterpriseEmail("carol.wu@acme.test").build()).build());
        assertThat(refused.getCode()).isEqualTo(41069);
        assertThat(query("carol.wu@acme.test")[0].getStatus()).isEqualTo(3);

        ok(sdk.mail().v1().userMailbox().delete(DeleteUserMailboxReq.newBuilder().userMailboxId("carol@acme.test").build()));
        com.lark.oapi.service.contact.v3.model.User moved = ok(sdk.contact().v3().user().patch(PatchUserReq.newBuilder().userId("ou_300")
                .user(com.lark.oapi.service.contact.v3.model.User.newBuilder().enterpriseEmail("carol.wu@acme.test").build()).build()))
                .getData().getUser();
        assertThat(moved.getEnterpriseEmail()).isEqualTo("carol.wu@acme.test");
        assertThat(query("carol.wu@acme.test")[0].getStatus()).isEqualTo(4);
    }

    @Test
    void sdkCreatesGetsListsAndDeletesDepartments() throws Exception {
        Department created = ok(sdk.contact().v3().department().create(CreateDepartmentReq.newBuilder().departmentIdType("department_id")
                .department(Department.newBuilder().name("SDK Team").parentDepartmentId("D100").departmentId("D150").order("10").build())
                .build())).getData().getDepartment();
        assertThat(created.getDepartmentId()).isEqualTo("D150");
        assertThat(created.getOpenDepartmentId()).startsWith("od-");
        assertThat(created.getParentDepartmentId()).isEqualTo("D100");

        Department got = ok(sdk.contact().v3().department().get(GetDepartmentReq.newBuilder()
                .departmentId(created.getOpenDepartmentId()).build())).getData().getDepartment();
        assertThat(got.getName()).isEqualTo("SDK Team");
        assertThat(got.getParentDepartmentId()).isEqualTo("od-100");

        ChildrenDepartmentRespBody children = ok(sdk.contact().v3().department().children(ChildrenDepartmentReq.newBuilder()
                .departmentId("od-100").build())).getData();
        assertThat(Arrays.stream(children.getItems()).map(Department::getDepartmentId)).containsExactly("D110", "D150");
        assertThat(children.getHasMore()).isFalse();

        ok(sdk.contact().v3().department().delete(DeleteDepartmentReq.newBuilder().departmentId("D150").departmentIdType("department_id")
                .build()));
        assertThat(sdk.contact().v3().department().get(GetDepartmentReq.newBuilder().departmentId("D150").departmentIdType("department_id")
                .build()).getCode()).isEqualTo(40015);
    }
}
