package mailroom.api.feishu;

import java.util.List;

/**
 * Request bodies of the mail endpoints: only the fields a request sets. Read-only fields the SDKs resend
 * (member_id, permission_member_id, …) are deliberately absent, so they are ignored whatever their JSON type.
 */
final class FeishuBodies {
    private FeishuBodies() {}

    record MailGroupBody(String email, String name, String description, String whoCanSendMail) {}

    record MemberBody(String email, String userId, String departmentId, String type) {}

    record MemberItems(List<MemberBody> items) {}

    record MemberIdList(List<String> memberIdList) {}

    record PermissionMemberBody(String userId, String departmentId, String email, String type) {}

    record PermissionMemberItems(List<PermissionMemberBody> items) {}

    record PermissionMemberIdList(List<String> permissionMemberIdList) {}

    record ManagerBody(String userId) {}

    record ManagerList(List<ManagerBody> mailgroupManagerList) {}

    record AliasBody(String emailAlias) {}
}
