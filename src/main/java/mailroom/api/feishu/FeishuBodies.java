package mailroom.api.feishu;

import java.util.List;

/** Request bodies of the mail endpoints as the SDKs send them (read-only fields are accepted and ignored). */
final class FeishuBodies {
    private FeishuBodies() {}

    record MailGroupBody(String email, String name, String description, String whoCanSendMail) {}

    record MemberBody(String memberId, String email, String userId, String departmentId, String type) {}

    record MemberItems(List<MemberBody> items) {}

    record MemberIdList(List<String> memberIdList) {}

    record PermissionMemberBody(String permissionMemberId, String userId, String departmentId, String email,
                                String type) {}

    record PermissionMemberItems(List<PermissionMemberBody> items) {}

    record PermissionMemberIdList(List<String> permissionMemberIdList) {}

    record ManagerBody(String userId) {}

    record ManagerList(List<ManagerBody> mailgroupManagerList) {}

    record AliasBody(String emailAlias) {}
}
