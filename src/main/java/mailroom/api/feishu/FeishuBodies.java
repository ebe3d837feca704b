package mailroom.api.feishu;

import java.util.List;

/**
 * Request bodies of the mail endpoints: only the fields a request sets. Read-only fields the SDKs resend
 * (member_id, permission_member_id, …) are deliberately absent, so they are ignored whatever their JSON type.
 */
final class FeishuBodies {
    private FeishuBodies() {}

    record MailGroupBody(String email, String name, String description, String whoCanSendMail) {}

    /** A member or permission member as the SDKs send it (read-only id fields are not bound). */
    record MemberBody(String email, String userId, String departmentId, String type) {}

    record MemberItems(List<MemberBody> items) {}

    /** A batch_delete body: member_id_list for members, permission_member_id_list for permission members. */
    record MemberIdList(List<String> memberIdList, List<String> permissionMemberIdList) {
        List<String> ids(mailroom.directory.mailgroup.MemberList list) {
            return list == mailroom.directory.mailgroup.MemberList.MEMBERS ? memberIdList : permissionMemberIdList;
        }
    }

    record ManagerBody(String userId) {}

    record ManagerList(List<ManagerBody> mailgroupManagerList) {}

    record AliasBody(String emailAlias) {}
}
